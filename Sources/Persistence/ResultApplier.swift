import Events
import Foundation
import Logging
import PostgresNIO

/// What happened to one record.
public struct ApplyOutcome: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// The lead was updated from the result.
        case applied
        /// Older than the lead's `last_event_time`: recorded as an activity (and its follow-ups),
        /// the lead's AI fields were left alone.
        case stale
        /// An `ai.error` recorded as an `ai_error` activity.
        case errorRecorded = "error_recorded"
        /// The event id was already in `processed_messages`: nothing changed.
        case duplicate
        /// Stored in `dead_letter_queue` (bad payload, business/tenant mismatch, unroutable error,
        /// or a permanent database error for this record).
        case deadLettered = "dead_lettered"
    }

    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var status: Status
    public var eventID: String?
    public var leadID: String?
    /// The lead row did not exist and was created from the event's ids.
    public var leadCreated: Bool = false
    /// Names of the follow-up rows created (`FollowUpAction.name`).
    public var followUps: [String] = []
    /// For `.deadLettered`: why, and the `dead_letter_queue.id`.
    public var deadLetterCode: PersistenceError.Code?
    public var deadLetterID: Int64?

    public init(record: InboundRecord, status: Status, eventID: String? = nil, leadID: String? = nil) {
        self.topic = record.topic
        self.partition = record.partition
        self.offset = record.offset
        self.status = status
        self.eventID = eventID
        self.leadID = leadID
    }
}

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
    let logger: Logger

    public init(
        client: PostgresClient,
        topics: InboundTopics = InboundTopics(),
        registry: FollowUpRegistry = .standard,
        retrier: Retrier? = nil,
        logger: Logger
    ) {
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
                metadata: [LogKeys.errorCode: "\(error.code)", LogKeys.batchSize: "\(records.count)"]
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
                metadata: [LogKeys.errorCode: "\(error.code)", LogKeys.batchSize: "\(records.count)"]
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

    // MARK: One record

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

    /// Inserts the event id; false when it was already there (a duplicate).
    private func claim(
        eventID: String, eventType: String, record: InboundRecord, leadID: String?, outcome: ApplyOutcome.Status,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.run(
            """
            INSERT INTO processed_messages (event_id, event_type, topic, partition, "offset", lead_id, outcome)
            VALUES (\(eventID), \(eventType), \(record.topic), \(record.partition), \(record.offset), \(leadID), \(outcome.rawValue))
            ON CONFLICT (event_id) DO NOTHING
            RETURNING 1
            """,
            logger: logger
        )
        var claimed = false
        for _ in rows { claimed = true }
        return claimed
    }

    private func setOutcome(_ outcome: ApplyOutcome.Status, eventID: String, on connection: PostgresConnection) async throws {
        try await connection.run(
            "UPDATE processed_messages SET outcome = \(outcome.rawValue) WHERE event_id = \(eventID)",
            logger: logger
        )
    }

    struct LeadState {
        var businessID: String
        var tenantID: String?
        var lastEventTime: Date?
        var created: Bool
    }

    /// Claims the event id and, when claimed, creates the lead from the ids if missing and locks
    /// it: one statement. `nil` when the event id was already processed (a duplicate).
    private func claimAndUpsertLead(
        eventID: String, eventType: String, record: InboundRecord, outcome: ApplyOutcome.Status,
        leadID: String, businessID: String, tenantID: String?, on connection: PostgresConnection
    ) async throws -> LeadState? {
        let rows = try await connection.run(
            """
            WITH claim AS (
                INSERT INTO processed_messages (event_id, event_type, topic, partition, "offset", lead_id, outcome)
                VALUES (\(eventID), \(eventType), \(record.topic), \(record.partition), \(record.offset), \(leadID), \(outcome.rawValue))
                ON CONFLICT (event_id) DO NOTHING
                RETURNING 1
            ), lead AS (
                INSERT INTO leads (lead_id, business_id, tenant_id)
                SELECT \(leadID), \(businessID), \(tenantID) WHERE EXISTS (SELECT 1 FROM claim)
                ON CONFLICT (lead_id) DO UPDATE SET lead_id = EXCLUDED.lead_id
                RETURNING business_id, tenant_id, last_event_time, (xmax::text = '0') AS created
            )
            SELECT lead.business_id, lead.tenant_id, lead.last_event_time, lead.created FROM lead
            """,
            logger: logger
        )
        for (business, tenant, lastEventTime, created) in try rows.decode((String, String?, Date?, Bool).self) {
            return LeadState(businessID: business, tenantID: tenant, lastEventTime: lastEventTime, created: created)
        }
        return nil
    }

    /// Business must match; tenants must match when both are known.
    func mismatch(_ lead: LeadState, businessID: String?, tenantID: String?) -> PersistenceError? {
        if let businessID, businessID != lead.businessID {
            return PersistenceError(code: .businessMismatch, message: "business_id of the event does not match the stored lead")
        }
        if let tenantID, let stored = lead.tenantID, tenantID != stored {
            return PersistenceError(code: .tenantMismatch, message: "tenant_id of the event does not match the stored lead")
        }
        return nil
    }

    private func applyResult(_ result: AIResultEvent, record: InboundRecord, on connection: PostgresConnection) async throws -> ApplyOutcome {
        var outcome = ApplyOutcome(record: record, status: .applied, eventID: result.eventID, leadID: result.leadID)
        guard let lead = try await claimAndUpsertLead(
            eventID: result.eventID, eventType: InboundKind.result.rawValue, record: record, outcome: .applied,
            leadID: result.leadID, businessID: result.businessID, tenantID: result.tenantID, on: connection
        ) else {
            outcome.status = .duplicate
            return outcome
        }
        outcome.leadCreated = lead.created
        if let refusal = mismatch(lead, businessID: result.businessID, tenantID: result.tenantID) {
            try await setOutcome(.deadLettered, eventID: result.eventID, on: connection)
            let id = try await insertDeadLetter(
                record, eventID: result.eventID, leadID: result.leadID,
                error: refusal.at(topic: record.topic, partition: record.partition, offset: record.offset), on: connection
            )
            outcome.status = .deadLettered
            outcome.deadLetterCode = refusal.code
            outcome.deadLetterID = id
            outcome.leadCreated = false
            return outcome
        }

        let stale = lead.lastEventTime.map { $0 > result.eventTime } ?? false
        let actions = registry.actions(for: result)
        // Lead update (or stale mark), activity and follow-ups: one statement of CTEs.
        var sql = SQLBuilder()
        var parts: [String] = []
        if stale {
            outcome.status = .stale
            parts.append("mark AS (UPDATE processed_messages SET outcome = 'stale' WHERE event_id = \(sql.bind(result.eventID)) RETURNING 1)")
        } else {
            parts.append(Self.leadUpdate(result, into: &sql))
        }
        let metadata = Self.activityMetadata(result, record: record, stale: stale, actions: actions)
        parts.append(
            """
            activity AS (
                INSERT INTO lead_activities (lead_id, activity_type, source_event_id, metadata)
                VALUES (\(sql.bind(result.leadID)), 'ai_processed', \(sql.bind(result.eventID)), \(sql.bind(metadata))::jsonb)
                ON CONFLICT DO NOTHING RETURNING 1)
            """
        )
        for (index, action) in actions.enumerated() {
            parts.append("follow_up_\(index) AS (\(Self.followUpInsert(action, for: result, into: &sql)) ON CONFLICT DO NOTHING RETURNING 1)")
        }
        sql.text = "WITH " + parts.joined(separator: ",\n") + "\nSELECT 1"
        try await connection.run(sql.query, logger: logger)
        outcome.followUps = actions.map(\.name)
        return outcome
    }

    /// `lead_update AS (UPDATE leads ...)`: AI fields, merged custom_fields, event time.
    private static func leadUpdate(_ result: AIResultEvent, into sql: inout SQLBuilder) -> String {
        let entities: String? = result.entities.map { json(.object($0)) }
        let confidence = sql.bind(result.intent?.confidence)
        return """
            lead_update AS (
                UPDATE leads SET
                    intent_type = COALESCE(\(sql.bind(result.intent?.intent.rawValue))::text, intent_type),
                    extracted_entities = COALESCE(\(sql.bind(entities))::jsonb, extracted_entities),
                    custom_fields = CASE WHEN \(confidence)::float8 IS NULL THEN custom_fields
                        ELSE COALESCE(custom_fields, '{}'::jsonb)
                            || jsonb_build_object('ai_confidence', \(confidence)::float8, 'ai_tier', \(sql.bind(result.intent?.tier.rawValue))::text)
                        END,
                    lead_quality = COALESCE(\(sql.bind(result.leadQuality?.rawValue))::text, lead_quality),
                    lead_score = COALESCE(\(sql.bind(result.leadScore))::integer, lead_score),
                    tenant_id = COALESCE(tenant_id, \(sql.bind(result.tenantID))::text),
                    phone = COALESCE(phone, \(sql.bind(result.phones.first))::text),
                    email = COALESCE(email, \(sql.bind(result.emails.first))::text),
                    ai_updated_at = now(),
                    last_event_time = \(sql.bind(result.eventTime)),
                    updated_at = now()
                WHERE lead_id = \(sql.bind(result.leadID))
                RETURNING 1)
            """
    }

    /// The INSERT of one follow-up row (without its ON CONFLICT clause).
    private static func followUpInsert(_ action: FollowUpAction, for result: AIResultEvent, into sql: inout SQLBuilder) -> String {
        let common = "\(sql.bind(result.leadID)), \(sql.bind(result.businessID)), \(sql.bind(result.tenantID))::text, \(sql.bind(result.eventID))"
        switch action {
        case .orderDraft:
            let products = json(.array(result.entityArray("products")))
            let quantities = json(.array(result.entityArray("quantities")))
            let prices = json(.array(result.entityArray("prices")))
            return """
                INSERT INTO order_drafts (lead_id, business_id, tenant_id, source_event_id, products, quantities, prices)
                VALUES (\(common), \(sql.bind(products))::jsonb, \(sql.bind(quantities))::jsonb, \(sql.bind(prices))::jsonb)
                """
        case .salesNotification(let reason, let priority):
            return """
                INSERT INTO sales_notifications (lead_id, business_id, tenant_id, source_event_id, reason, priority, lead_score, lead_quality)
                VALUES (\(common), \(sql.bind(reason)), \(sql.bind(priority.rawValue)), \(sql.bind(result.leadScore))::integer, \(sql.bind(result.leadQuality?.rawValue))::text)
                """
        case .supportTicket(let category, let priority):
            let orderIDs = json(.array(result.orderIDs.map(JSONValue.string)))
            return """
                INSERT INTO support_tickets (lead_id, business_id, tenant_id, source_event_id, category, priority, order_ids, sentiment)
                VALUES (\(common), \(sql.bind(category)), \(sql.bind(priority.rawValue)), \(sql.bind(orderIDs))::jsonb, \(sql.bind(result.sentiment))::text)
                """
        case .callbackTask(let kind):
            let date = result.firstDate
            return """
                INSERT INTO callback_tasks (lead_id, business_id, tenant_id, source_event_id, kind, requested_time, requested_time_text, phone)
                VALUES (\(common), \(sql.bind(kind)), \(sql.bind(date?.value))::timestamptz, \(sql.bind(date?.text))::text, \(sql.bind(result.phones.first))::text)
                """
        case .reviewFlag(let reason):
            return """
                INSERT INTO review_flags (lead_id, business_id, tenant_id, source_event_id, reason, intent, confidence)
                VALUES (\(common), \(sql.bind(reason)), \(sql.bind(result.intent?.intent.rawValue))::text, \(sql.bind(result.intent?.confidence))::float8)
                """
        }
    }

    private func applyError(_ event: AIErrorEvent, record: InboundRecord, on connection: PostgresConnection) async throws -> ApplyOutcome {
        var outcome = ApplyOutcome(record: record, status: .errorRecorded, eventID: event.eventID, leadID: event.leadID)
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
        let lead: LeadState
        if let leadID = event.leadID, let businessID = event.businessID {
            guard let claimed = try await claimAndUpsertLead(
                eventID: event.eventID, eventType: InboundKind.error.rawValue, record: record, outcome: .errorRecorded,
                leadID: leadID, businessID: businessID, tenantID: event.tenantID, on: connection
            ) else {
                outcome.status = .duplicate
                return outcome
            }
            lead = claimed
        } else {
            guard try await claim(
                eventID: event.eventID, eventType: InboundKind.error.rawValue, record: record, leadID: event.leadID,
                outcome: .errorRecorded, on: connection
            ) else {
                outcome.status = .duplicate
                return outcome
            }
            // An ai.error that names no lead cannot be attached to anything: keep it for operators.
            guard let leadID = event.leadID else {
                return try await refuse(PersistenceError(code: .unroutableError, message: "ai.error names no lead_id"))
            }
            let rows = try await connection.run(
                "SELECT business_id, tenant_id, last_event_time FROM leads WHERE lead_id = \(leadID) FOR UPDATE",
                logger: logger
            )
            var found: LeadState?
            for (business, tenant, lastEventTime) in try rows.decode((String, String?, Date?).self) {
                found = LeadState(businessID: business, tenantID: tenant, lastEventTime: lastEventTime, created: false)
            }
            guard let found else {
                return try await refuse(PersistenceError(
                    code: .unroutableError, message: "ai.error names an unknown lead and no business_id to create it"
                ))
            }
            lead = found
        }
        outcome.leadCreated = lead.created
        if let refusal = mismatch(lead, businessID: event.businessID, tenantID: event.tenantID) {
            return try await refuse(refusal)
        }
        try await connection.run(
            """
            INSERT INTO lead_activities (lead_id, activity_type, source_event_id, metadata)
            VALUES (\(event.leadID), 'ai_error', \(event.eventID), \(Self.errorMetadata(event, record: record))::jsonb)
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
        return outcome
    }

    // MARK: Dead letters

    /// Dead-letters a record that could not be applied, deduplicated on its event id when known.
    private func deadLetter(
        _ record: InboundRecord, eventID: String?, leadID: String?, eventType: String, error: any Error,
        on connection: PostgresConnection
    ) async throws -> ApplyOutcome {
        let failure = PersistenceError.classify(error).at(topic: record.topic, partition: record.partition, offset: record.offset)
        var outcome = ApplyOutcome(record: record, status: .deadLettered, eventID: eventID, leadID: leadID)
        if let eventID {
            guard try await claim(
                eventID: eventID, eventType: eventType, record: record, leadID: leadID, outcome: .deadLettered, on: connection
            ) else {
                outcome.status = .duplicate
                return outcome
            }
        }
        outcome.deadLetterCode = failure.code
        outcome.deadLetterID = try await insertDeadLetter(record, eventID: eventID, leadID: leadID, error: failure, on: connection)
        return outcome
    }

    private func insertDeadLetter(
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

    // MARK: Helpers

    func withTransaction<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws(PersistenceError) -> T {
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                try await connection.run("BEGIN", logger: logger)
                do {
                    let value = try await body(connection)
                    try await connection.run("COMMIT", logger: logger)
                    return value
                } catch {
                    await Self.abandonTransaction(on: connection, after: error, logger: logger)
                    throw error
                }
            }
        } catch {
            throw PersistenceError.classify(error)
        }
    }

    /// Ends a failed transaction so the connection can go back to the pool: ROLLBACK when the
    /// connection is healthy (a server error), else close it (the server rolls back and the pool
    /// replaces it). A ROLLBACK that gets no answer within 5 s closes the connection too: a
    /// write racing the connection's close could otherwise wait forever.
    static func abandonTransaction(on connection: PostgresConnection, after error: any Error, logger: Logger) async {
        let failure = PersistenceError.classify(error)
        let serverAnswered = failure.sqlState.map { !$0.hasPrefix("08") && !$0.hasPrefix("57P") } ?? false
        if serverAnswered, !connection.isClosed {
            let rolledBack = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    (try? await connection.run("ROLLBACK", logger: logger)) != nil
                }
                group.addTask {
                    guard (try? await Task.sleep(for: .seconds(5))) != nil else { return false }
                    try? await connection.close()
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if rolledBack { return }
        }
        try? await connection.close()
    }

    private func log(_ outcome: ApplyOutcome) {
        var metadata: Logger.Metadata = [
            LogKeys.topic: "\(outcome.topic)",
            LogKeys.partition: "\(outcome.partition)",
            LogKeys.offset: "\(outcome.offset)",
            LogKeys.outcome: "\(outcome.status.rawValue)",
        ]
        if let eventID = outcome.eventID { metadata[LogKeys.eventID] = "\(eventID)" }
        if let leadID = outcome.leadID { metadata[LogKeys.leadID] = "\(leadID)" }
        if outcome.status == .deadLettered {
            if let code = outcome.deadLetterCode { metadata[LogKeys.errorCode] = "\(code)" }
            if let id = outcome.deadLetterID { metadata[LogKeys.deadLetterID] = "\(id)" }
            logger.warning("Record dead-lettered", metadata: metadata)
        } else {
            logger.debug("Record applied", metadata: metadata)
        }
    }

    static func json(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.value(value)
        return writer.string
    }

    static func activityMetadata(_ result: AIResultEvent, record: InboundRecord, stale: Bool, actions: [FollowUpAction]) -> String {
        var writer = JSONWriter()
        writeActivityMetadata(result, record: record, stale: stale, actions: actions, to: &writer)
        return writer.string
    }

    static func writeActivityMetadata(
        _ result: AIResultEvent, record: InboundRecord, stale: Bool, actions: [FollowUpAction], to writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.key("event_id"); writer.string(result.eventID)
        writer.key("processing_id"); writer.string(result.processingID)
        writer.key("source_event_id"); writer.string(result.sourceEventID)
        writer.key("source_event_type"); writer.string(result.sourceEventType)
        writer.key("message_id"); writer.string(result.messageID)
        writer.key("request_id"); writer.string(result.requestID)
        writer.key("intent"); writer.string(result.intent?.intent.rawValue)
        writer.key("confidence")
        if let confidence = result.intent?.confidence { writer.number(confidence) } else { writer.null() }
        writer.key("tier"); writer.string(result.intent?.tier.rawValue)
        writer.key("lead_score")
        if let score = result.leadScore { writer.int(score) } else { writer.null() }
        writer.key("lead_quality"); writer.string(result.leadQuality?.rawValue)
        writer.key("sentiment"); writer.string(result.sentiment)
        writer.key("language"); writer.string(result.language)
        writer.key("suggested_actions"); writer.stringArray(result.suggestedActions)
        writer.key("suggested_response"); writer.string(result.suggestedResponse)
        writer.key("degraded"); writer.bool(result.degraded)
        writer.key("llm_used")
        if let used = result.llmUsed { writer.bool(used) } else { writer.null() }
        writer.key("stale"); writer.bool(stale)
        writer.key("follow_ups"); writer.stringArray(actions.map(\.name))
        writer.key("event_time"); writer.string(Self.rfc3339(result.eventTime))
        writer.key("kafka")
        writer.beginObject()
        writer.key("topic"); writer.string(record.topic)
        writer.key("partition"); writer.int(Int(record.partition))
        writer.key("offset"); writer.int(Int(record.offset))
        writer.endObject()
        writer.endObject()
    }

    static func errorMetadata(_ event: AIErrorEvent, record: InboundRecord) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("event_id"); writer.string(event.eventID)
        writer.key("error_code"); writer.string(event.errorCode)
        writer.key("error_message"); writer.string(event.errorMessage)
        writer.key("retryable"); writer.bool(event.retryable)
        writer.key("attempts"); writer.int(event.attempts)
        writer.key("source_event_id"); writer.string(event.sourceEventID)
        writer.key("source_topic"); writer.string(event.sourceTopic)
        writer.key("source_partition")
        if let partition = event.sourcePartition { writer.int(partition) } else { writer.null() }
        writer.key("source_offset")
        if let offset = event.sourceOffset { writer.int(Int(offset)) } else { writer.null() }
        writer.key("kafka")
        writer.beginObject()
        writer.key("topic"); writer.string(record.topic)
        writer.key("partition"); writer.int(Int(record.partition))
        writer.key("offset"); writer.int(Int(record.offset))
        writer.endObject()
        writer.endObject()
        return writer.string
    }

    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// SQL text with its bindings, for statements assembled from parts (placeholders are numbered
/// in the order values are bound, whatever the order of the text).
struct SQLBuilder {
    var text = ""
    var bindings = PostgresBindings()

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: bindings) }
}

/// Logger metadata keys of this module (the project's shared names where they exist).
enum LogKeys {
    static let topic = "kafka.topic"
    static let partition = "kafka.partition"
    static let offset = "kafka.offset"
    static let eventID = "event.id"
    static let leadID = "lead.id"
    static let errorCode = "error.code"
    static let outcome = "persistence.outcome"
    static let batchSize = "persistence.batch_size"
    static let deadLetterID = "dlq.id"
    static let attempt = "retry.attempt"
    static let delay = "retry.delay_ms"
}

// Every statement's result is read to the end: postgres-nio reports an error that follows a
// RowDescription (a trigger, a constraint checked at the end of a statement with RETURNING or a
// final SELECT) only to whoever consumes the rows. Dropping the sequence would lose the error,
// and the COMMIT of the aborted transaction would then roll back silently.
extension PostgresConnection {
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger, file: file, line: line).collect()
    }
}

extension PostgresClient {
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger, file: file, line: line).collect()
    }
}

extension Array where Element == PostgresRow {
    func decode<Column: PostgresDecodable>(_: Column.Type) throws -> [Column] {
        try map { try $0.decode(Column.self) }
    }

    func decode<each Column: PostgresDecodable>(_ type: (repeat each Column).Type) throws -> [(repeat each Column)] {
        try map { try $0.decode(type, context: .default) }
    }
}
