import Events
import Foundation
import Logging
import PostgresNIO

/// Applies `ai.process.result` and `ai.error` records to PostgreSQL (SPEC §6).
///
/// `apply(_:)` runs ONE transaction for the whole batch; inside it each record is its own unit
/// (a savepoint): deduplicated on the event id through `processed_messages`, and rolled back to
/// its savepoint and dead-lettered alone when it fails permanently. A transient failure
/// (connection lost, deadlock...) fails the whole call, which can be retried as is: records
/// committed by an earlier attempt come back as `.duplicate`.
///
/// `applyReliably(_:)` is what a consumer loop calls: it retries transient failures with
/// backoff for as long as it takes and only returns when every record has a committed outcome;
/// then the records' offsets may be committed to Kafka. It throws only when the worker stops
/// (task cancelled, client closed): then commit nothing for that batch.
///
/// ```swift
/// let config = try DatabaseConfig(url: env["DATABASE_URL"] ?? "")
/// let client = config.makeClient(logger: logger)          // run() it in the ServiceGroup
/// try await Migrator(client: client, logger: logger).migrate(retrying: Retrier(logger: logger))
/// let applier = ResultApplier(client: client, topics: InboundTopics(results: "ai.process.result", errors: "ai.error"), logger: logger)
/// // per poll: records of any partitions, in consumption order (per-partition order is kept)
/// let outcomes = try await applier.applyReliably(records.map {
///     InboundRecord(topic: $0.topic, partition: $0.partition, offset: $0.offset, key: $0.key, value: $0.value)
/// })
/// // outcomes[i].status: applied | stale | error_recorded | duplicate | dead_lettered → commit offsets
/// ```
///
/// After a COMMIT whose answer was lost (connection dropped), the retry finds the events
/// already processed and reports them `.duplicate`: the effect is still exactly once.
public final class ResultApplier: Sendable {
    public let client: PostgresClient
    public let topics: InboundTopics
    public let registry: FollowUpRegistry
    public let retrier: Retrier
    /// The server's settings: its errors name it (`host:port/database`) and the cause of a
    /// connection failure.
    public let database: DatabaseConfig?
    let logger: Logger

    public init(
        client: PostgresClient,
        topics: InboundTopics = InboundTopics(),
        registry: FollowUpRegistry = .standard,
        retrier: Retrier? = nil,
        database: DatabaseConfig? = nil,
        logger: Logger
    ) {
        self.database = database
        self.client = client
        self.topics = topics
        self.registry = registry
        self.retrier = retrier ?? Retrier(logger: logger)
        self.logger = logger
    }

    // MARK: Entry points

    /// One transaction for `records`, in order; no retry. Throws a `PersistenceError`: retryable
    /// ones mean "nothing was committed, try again"; `.shutdown` means the worker is stopping.
    ///
    /// The batch first runs without savepoints, the results in three statements for the whole
    /// batch (see `applyBulk`). When the database
    /// refuses one record for good, that attempt is rolled back and the batch runs again with a
    /// savepoint per record, so that only the refused record is dead-lettered.
    public func apply(_ records: [InboundRecord]) async throws(PersistenceError) -> [ApplyOutcome] {
        guard !records.isEmpty else { return [] }
        let outcomes: [ApplyOutcome]
        do {
            outcomes = try await applyBatch(records, isolated: false)
        } catch where !error.isRetryable && error.code != .shutdown {
            logger.debug(
                "A record failed in the database; applying the batch again with a savepoint per record",
                metadata: [LogFields.errorCode: "\(error.code)", LogKeys.batchSize: "\(records.count)"]
            )
            outcomes = try await applyBatch(records, isolated: true)
        }
        for outcome in outcomes { log(outcome) }
        return outcomes
    }

    func applyBatch(_ records: [InboundRecord], isolated: Bool) async throws(PersistenceError) -> [ApplyOutcome] {
        try await withTransaction { connection in
            if !isolated { return try await self.applyBulk(records, on: connection) }
            var outcomes: [ApplyOutcome] = []
            outcomes.reserveCapacity(records.count)
            for record in records {
                outcomes.append(try await self.applyOne(record, isolated: isolated, on: connection))
            }
            return outcomes
        }
    }

    public func apply(_ record: InboundRecord) async throws(PersistenceError) -> ApplyOutcome {
        let outcomes = try await apply([record])
        return outcomes[0]
    }

    /// Applies `records` until it succeeds: transient errors are retried with backoff forever; a
    /// batch that fails permanently as a whole is split, and a single record that still fails is
    /// dead-lettered in a transaction of its own. Returns one outcome per record, in order.
    /// Throws only `.shutdown` (cancelled or client closed): then commit nothing for these records.
    public func applyReliably(_ records: [InboundRecord]) async throws(PersistenceError) -> [ApplyOutcome] {
        do {
            return try await retrier.run { () async throws(PersistenceError) -> [ApplyOutcome] in
                try await self.apply(records)
            }
        } catch where error.code == .shutdown {
            throw error
        } catch {
            logger.error(
                "A batch failed permanently; applying its records one by one",
                metadata: [LogFields.errorCode: "\(error.code)", LogKeys.batchSize: "\(records.count)"]
            )
            if records.count > 1 {
                var outcomes: [ApplyOutcome] = []
                for record in records {
                    outcomes += try await applyReliably([record])
                }
                return outcomes
            }
            let record = records[0]
            let failure = error.at(topic: record.topic, partition: record.partition, offset: record.offset)
            // Even dead-lettering is retried whatever the error: stalling beats losing the record.
            let outcome = try await retrier.run(retryingPermanentErrors: true) { () async throws(PersistenceError) -> ApplyOutcome in
                try await self.withTransaction { connection in
                    let ids = InboundDecoder.salvageIDs(record.value)
                    let kind = self.topics.kind(of: record.topic)
                    return try await self.deadLetter(
                        record, eventID: ids.eventID, leadID: ids.leadID,
                        eventType: kind?.rawValue ?? record.topic, error: failure, on: connection
                    )
                }
            }
            log(outcome)
            return [outcome]
        }
    }

    /// Re-applies a dead-lettered record (operator's `dlq replay ID`), in one transaction. When it
    /// goes through (or was applied meanwhile) the entry is marked `replayed`; when it fails again
    /// the entry stays `failed` with `attempts` + 1 and the new error.
    public func replayDeadLetter(id: Int64) async throws(PersistenceError) -> ApplyOutcome {
        let outcome = try await withTransaction { connection in
            let rows = try await connection.run(
                """
                SELECT topic, partition, "offset", key, key_encoding, payload, payload_encoding, event_id
                FROM dead_letter_queue WHERE id = \(id) FOR UPDATE
                """,
                logger: self.logger
            )
            var found: (InboundRecord, String?)?
            for (topic, partition, offset, key, keyEncoding, payload, payloadEncoding, eventID)
                in try rows.decode((String, Int32, Int64, String?, String, String, String, String?).self)
            {
                let record = InboundRecord(
                    topic: topic, partition: partition, offset: offset,
                    key: DeadLetterEntry.bytes(key, encoding: keyEncoding),
                    value: DeadLetterEntry.bytes(payload, encoding: payloadEncoding)
                )
                found = (record, eventID)
            }
            guard let (record, eventID) = found else {
                throw PersistenceError(code: .notFound, message: "no dead-letter entry with this id")
            }
            if let eventID {
                try await connection.run(
                    "DELETE FROM processed_messages WHERE event_id = \(eventID) AND outcome = 'dead_lettered'",
                    logger: self.logger
                )
            }
            let outcome = try await self.applyOne(record, isolated: true, on: connection)
            if outcome.status != .deadLettered {
                try await connection.run(
                    """
                    UPDATE dead_letter_queue
                    SET status = 'replayed', replayed_at = now(), updated_at = now(), attempts = attempts + 1
                    WHERE id = \(id)
                    """,
                    logger: self.logger
                )
            }
            return outcome
        }
        log(outcome)
        return outcome
    }

    private func log(_ outcome: ApplyOutcome) {
        var metadata: Logger.Metadata = [
            LogFields.topic: "\(outcome.topic)",
            LogFields.partition: "\(outcome.partition)",
            LogFields.offset: "\(outcome.offset)",
            LogKeys.outcome: "\(outcome.status.rawValue)",
        ]
        if let eventID = outcome.eventID { metadata[LogFields.eventID] = "\(eventID)" }
        if let leadID = outcome.leadID { metadata[LogFields.leadID] = "\(leadID)" }
        if outcome.status == .deadLettered {
            if let code = outcome.deadLetterCode { metadata[LogFields.errorCode] = "\(code)" }
            if let id = outcome.deadLetterID { metadata[LogKeys.deadLetterID] = "\(id)" }
            logger.warning("Record dead-lettered", metadata: metadata)
        } else {
            logger.debug("Record applied", metadata: metadata)
        }
    }
}
