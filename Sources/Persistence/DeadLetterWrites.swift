import Events
import Foundation
import Logging
import PostgresNIO

/// Writing dead letters (reading and replaying them: `DeadLetterQueue`, `replayDeadLetter`).
extension ResultApplier {

    /// Dead-letters a record that could not be applied, deduplicated on its event id when known.
    func deadLetter(
        _ record: InboundRecord, eventID: String?, leadID: String?, eventType: String, error: any Error,
        on connection: PostgresConnection
    ) async throws -> ApplyOutcome {
        let failure = PersistenceError.classify(error).at(topic: record.topic, partition: record.partition, offset: record.offset)
        var outcome = ApplyOutcome(record: record, status: .deadLettered, eventID: eventID, leadID: leadID)
        if let eventID {
            guard try await claim(
                eventID: eventID, sourceKey: nil, eventType: eventType, record: record, leadID: leadID, outcome: .deadLettered, on: connection
            ) else {
                outcome.status = .duplicate
                return outcome
            }
        }
        outcome.deadLetterCode = failure.code
        outcome.deadLetterID = try await insertDeadLetter(record, eventID: eventID, leadID: leadID, error: failure, on: connection)
        return outcome
    }

    func insertDeadLetter(
        _ record: InboundRecord, eventID: String?, leadID: String?, error: PersistenceError, on connection: PostgresConnection
    ) async throws -> Int64 {
        let key = DeadLetterEntry.storable(record.key)
        let payload = DeadLetterEntry.storable(record.value)
        let rows = try await connection.run(
            """
            INSERT INTO dead_letter_queue (topic, partition, "offset", key, key_encoding, payload, payload_encoding, event_id, lead_id, error_code, error)
            VALUES (\(record.topic), \(record.partition), \(record.offset), \(key.text), \(key.encoding), \(payload.text ?? ""), \(payload.encoding),
                    \(eventID), \(leadID), \(error.code.rawValue), \(error.debugDescription))
            ON CONFLICT (topic, partition, "offset") DO UPDATE SET
                attempts = dead_letter_queue.attempts + 1,
                error_code = EXCLUDED.error_code,
                error = EXCLUDED.error,
                status = 'failed',
                updated_at = now()
            RETURNING id
            """,
            logger: logger
        )
        for id in try rows.decode(Int64.self) { return id }
        throw PersistenceError(code: .unexpected, message: "dead-letter insert returned no row")
    }
}
