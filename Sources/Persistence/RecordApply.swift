import Events
import Foundation
import Logging
import PostgresNIO

/// The per-record path of `ResultApplier`: `ai.error` records, records that do not decode, and
/// results applied alone (isolated in a savepoint).
extension ResultApplier {

    /// `isolated`: inside a savepoint, dead-lettering the record when the database refuses it;
    /// otherwise such an error aborts the transaction (and `apply` retries isolated).
    func applyOne(_ record: InboundRecord, isolated: Bool, on connection: PostgresConnection) async throws -> ApplyOutcome {
        guard let kind = topics.kind(of: record.topic) else {
            let ids = InboundDecoder.salvageIDs(record.value)
            let error = PersistenceError(code: .unexpectedTopic, message: "the record's topic is not consumed by this worker")
            return try await deadLetter(record, eventID: ids.eventID, leadID: ids.leadID, eventType: record.topic, error: error, on: connection)
        }
        let event: InboundEvent
        do {
            event = try InboundDecoder.decode(record.value, as: kind)
        } catch {
            let ids = InboundDecoder.salvageIDs(record.value)
            return try await deadLetter(record, eventID: ids.eventID, leadID: ids.leadID, eventType: kind.rawValue, error: error, on: connection)
        }

        guard isolated else {
            switch event {
            case .result(let result): return try await applyResult(result, record: record, on: connection)
            case .error(let errorEvent): return try await applyError(errorEvent, record: record, on: connection)
            }
        }
        try await connection.run("SAVEPOINT apply_record", logger: logger)
        do {
            let outcome: ApplyOutcome
            switch event {
            case .result(let result): outcome = try await applyResult(result, record: record, on: connection)
            case .error(let errorEvent): outcome = try await applyError(errorEvent, record: record, on: connection)
            }
            try await connection.run("RELEASE SAVEPOINT apply_record", logger: logger)
            return outcome
        } catch {
            let failure = PersistenceError.classify(error)
            if failure.isRetryable || failure.code == .shutdown { throw failure }
            // This record alone failed for good: undo its partial work, keep the batch going.
            try await connection.run("ROLLBACK TO SAVEPOINT apply_record", logger: logger)
            let outcome = try await deadLetter(
                record, eventID: event.eventID, leadID: event.leadID, eventType: kind.rawValue,
                error: failure.at(topic: record.topic, partition: record.partition, offset: record.offset),
                on: connection
            )
            try await connection.run("RELEASE SAVEPOINT apply_record", logger: logger)
            return outcome
        }
    }

    /// Inserts the event id and its source key; false when either was already there (a duplicate).
    func claim(
        eventID: String, sourceKey: String?, eventType: String, record: InboundRecord, leadID: String?, outcome: ApplyOutcome.Status,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.run(
            """
            INSERT INTO processed_messages (event_id, source_key, event_type, topic, partition, "offset", lead_id, outcome)
            VALUES (\(eventID), \(sourceKey), \(eventType), \(record.topic), \(record.partition), \(record.offset), \(leadID), \(outcome.rawValue))
            ON CONFLICT DO NOTHING
            RETURNING 1
            """,
            logger: logger
        )
        return !rows.isEmpty
    }

    func setOutcome(_ outcome: ApplyOutcome.Status, eventID: String, on connection: PostgresConnection) async throws {
        try await connection.run(
            "UPDATE processed_messages SET outcome = \(outcome.rawValue) WHERE event_id = \(eventID)",
            logger: logger
        )
    }

    /// A result alone: the batch path with one record (one implementation of the rule).
    func applyResult(_ result: AIResultEvent, record: InboundRecord, on connection: PostgresConnection) async throws -> ApplyOutcome {
        var outcomes: [ApplyOutcome?] = [nil]
        try await applyResults([(0, record, result)], outcomes: &outcomes, on: connection)
        guard let outcome = outcomes[0] else { throw PersistenceError(code: .unexpected, message: "a result got no outcome") }
        return outcome
    }

    func applyError(_ event: AIErrorEvent, record: InboundRecord, on connection: PostgresConnection) async throws -> ApplyOutcome {
        var outcome = ApplyOutcome(record: record, status: .errorRecorded, eventID: event.eventID, leadID: event.leadID)
        let sourceKey = SourceKey.of(event)
        guard try await claim(
            eventID: event.eventID, sourceKey: sourceKey, eventType: InboundKind.error.rawValue, record: record, leadID: event.leadID,
            outcome: .errorRecorded, on: connection
        ) else {
            outcome.status = .duplicate
            return outcome
        }
        func refuse(_ refusal: PersistenceError) async throws -> ApplyOutcome {
            try await setOutcome(.deadLettered, eventID: event.eventID, on: connection)
            outcome.deadLetterID = try await insertDeadLetter(
                record, eventID: event.eventID, leadID: event.leadID,
                error: refusal.at(topic: record.topic, partition: record.partition, offset: record.offset), on: connection
            )
            outcome.status = .deadLettered
            outcome.deadLetterCode = refusal.code
            outcome.leadCreated = false
            return outcome
        }
        // An ai.error that names no lead cannot be attached to anything: keep it for operators.
        guard let leadID = event.leadID else {
            return try await refuse(PersistenceError(code: .unroutableError, message: "ai.error names no lead_id"))
        }
        let lead: LeadState
        if let businessID = event.businessID {
            let states = try await leadStates(for: [LeadRequest(leadID: leadID, businessID: businessID, tenantID: event.tenantID)], on: connection)
            guard let state = states[leadID] else { throw PersistenceError(code: .unexpected, message: "a lead was neither created nor found") }
            lead = state
        } else {
            let rows = try await connection.run(
                "SELECT business_id, tenant_id, last_event_time FROM leads WHERE lead_id = \(leadID)", logger: logger
            )
            guard let (business, tenant, lastEventTime) = try rows.decode((String, String?, Date?).self).first else {
                return try await refuse(PersistenceError(
                    code: .unroutableError, message: "ai.error names an unknown lead and no business_id to create it"
                ))
            }
            lead = LeadState(businessID: business, tenantID: tenant, lastEventTime: lastEventTime, created: false)
        }
        outcome.leadCreated = lead.created
        // Without a business id the error names only the lead: its tenant is not checked.
        if let refusal = lead.refusal(businessID: event.businessID, tenantID: event.businessID == nil ? lead.tenantID : event.tenantID) {
            return try await refuse(refusal)
        }
        try await connection.run(
            """
            INSERT INTO lead_activities (lead_id, activity_type, source_event_id, source_key, metadata)
            VALUES (\(leadID), 'ai_error', \(event.eventID), \(sourceKey), \(Self.errorMetadata(event, record: record))::jsonb)
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
        return outcome
    }
}
