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
/// (task cancelled, client closed).
public final class ResultApplier: Sendable {
    public let client: PostgresClient
    public let topics: TopicNames
    public let registry: FollowUpRegistry
    public let retrier: Retrier
    let logger: Logger

    public init(
        client: PostgresClient,
        topics: TopicNames = TopicNames(),
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
    public func apply(_ records: [InboundRecord]) async throws(PersistenceError) -> [ApplyOutcome] {
        guard !records.isEmpty else { return [] }
        let outcomes = try await withTransaction { connection in
            var outcomes: [ApplyOutcome] = []
            outcomes.reserveCapacity(records.count)
            for record in records {
                outcomes.append(try await self.applyOne(record, on: connection))
            }
            return outcomes
        }
        for outcome in outcomes { log(outcome) }
        return outcomes
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
            let rows = try await connection.query(
                """
                SELECT topic, partition, "offset", key, key_encoding, payload, payload_encoding, event_id
                FROM dead_letter_queue WHERE id = \(id) FOR UPDATE
                """,
                logger: self.logger
            )
            var found: (InboundRecord, String?)?
            for try await (topic, partition, offset, key, keyEncoding, payload, payloadEncoding, eventID)
                in rows.decode((String, Int32, Int64, String?, String, String, String, String?).self)
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
                try await connection.query(
                    "DELETE FROM processed_messages WHERE event_id = \(eventID) AND outcome = 'dead_lettered'",
                    logger: self.logger
                )
            }
            let outcome = try await self.applyOne(record, on: connection)
            if outcome.status != .deadLettered {
                try await connection.query(
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

    private func applyOne(_ record: InboundRecord, on connection: PostgresConnection) async throws -> ApplyOutcome {
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

        try await connection.query("SAVEPOINT apply_record", logger: logger)
        do {
            let outcome: ApplyOutcome
            switch event {
            case .result(let result): outcome = try await applyResult(result, record: record, on: connection)
            case .error(let errorEvent): outcome = try await applyError(errorEvent, record: record, on: connection)
            }
            try await connection.query("RELEASE SAVEPOINT apply_record", logger: logger)
            return outcome
        } catch {
            let failure = PersistenceError.classify(error)
            if failure.isRetryable || failure.code == .shutdown { throw failure }
            // This record alone failed for good: undo its partial work, keep the batch going.
            try await connection.query("ROLLBACK TO SAVEPOINT apply_record", logger: logger)
            let outcome = try await deadLetter(
                record, eventID: event.eventID, leadID: event.leadID, eventType: kind.rawValue,
                error: failure.at(topic: record.topic, partition: record.partition, offset: record.offset),
                on: connection
            )
            try await connection.query("RELEASE SAVEPOINT apply_record", logger: logger)
            return outcome
        }
    }

    /// Inserts the event id; false when it was already there (a duplicate).
    private func claim(
        eventID: String, eventType: String, record: InboundRecord, leadID: String?, outcome: ApplyOutcome.Status,
        on connection: PostgresConnection
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO processed_messages (event_id, event_type, topic, partition, "offset", lead_id, outcome)
            VALUES (\(eventID), \(eventType), \(record.topic), \(record.partition), \(record.offset), \(leadID), \(outcome.rawValue))
            ON CONFLICT (event_id) DO NOTHING
            RETURNING 1
            """,
            logger: logger
        )
        var claimed = false
        for try await _ in rows { claimed = true }
        return claimed
    }

    private func setOutcome(_ outcome: ApplyOutcome.Status, eventID: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE processed_messages SET outcome = \(outcome.rawValue) WHERE event_id = \(eventID)",
            logger: logger
        )
    }

    private struct LeadState {
        var businessID: String
        var tenantID: String?
        var lastEventTime: Date?
        var created: Bool
    }

    /// Creates the lead from the ids when missing; locks the row either way.
    private func upsertLead(leadID: String, businessID: String, tenantID: String?, on connection: PostgresConnection) async throws -> LeadState {
        let rows = try await connection.query(
            """
            INSERT INTO leads (lead_id, business_id, tenant_id) VALUES (\(leadID), \(businessID), \(tenantID))
            ON CONFLICT (lead_id) DO UPDATE SET lead_id = EXCLUDED.lead_id
            RETURNING business_id, tenant_id, last_event_time, (xmax::text = '0')
            """,
            logger: logger
        )
        for try await (business, tenant, lastEventTime, created) in rows.decode((String, String?, Date?, Bool).self) {
            return LeadState(businessID: business, tenantID: tenant, lastEventTime: lastEventTime, created: created)
        }
        throw PersistenceError(code: .unexpected, message: "lead upsert returned no row")
    }

    /// Business must match; tenants must match when both are known.
    private func mismatch(_ lead: LeadState, businessID: String?, tenantID: String?) -> PersistenceError? {
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
        guard try await claim(
            eventID: result.eventID, eventType: InboundKind.result.rawValue, record: record, leadID: result.leadID,
            outcome: .applied, on: connection
        ) else {
            outcome.status = .duplicate
            return outcome
        }
        let lead = try await upsertLead(leadID: result.leadID, businessID: result.businessID, tenantID: result.tenantID, on: connection)
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
        if stale {
            outcome.status = .stale
            try await setOutcome(.stale, eventID: result.eventID, on: connection)
        } else {
            try await updateLead(with: result, on: connection)
        }

        let actions = registry.actions(for: result)
        for action in actions {
            try await insertFollowUp(action, for: result, on: connection)
        }
        outcome.followUps = actions.map(\.name)

        try await connection.query(
            """
            INSERT INTO lead_activities (lead_id, activity_type, source_event_id, metadata)
            VALUES (\(result.leadID), 'ai_processed', \(result.eventID), \(Self.activityMetadata(result, record: record, stale: stale, actions: actions))::jsonb)
            ON CONFLICT DO NOTHING
            """,
            logger: logger
        )
        return outcome
    }

    private func updateLead(with result: AIResultEvent, on connection: PostgresConnection) async throws {
        let entities: String? = result.entities.map { object in
            var writer = JSONWriter()
            writer.value(.object(object))
            return writer.string
        }
        let confidence: Double? = result.intent?.confidence
        let tier: String? = result.intent?.tier.rawValue
        try await connection.query(
            """
            UPDATE leads SET
                intent_type = COALESCE(\(result.intent?.intent.rawValue), intent_type),
                extracted_entities = COALESCE(\(entities)::jsonb, extracted_entities),
                custom_fields = CASE WHEN \(confidence)::float8 IS NULL THEN custom_fields
                    ELSE COALESCE(custom_fields, '{}'::jsonb) || jsonb_build_object('ai_confidence', \(confidence)::float8, 'ai_tier', \(tier)::text)
                    END,
                lead_quality = COALESCE(\(result.leadQuality?.rawValue), lead_quality),
                lead_score = COALESCE(\(result.leadScore), lead_score),
                tenant_id = COALESCE(tenant_id, \(result.tenantID)),
                phone = COALESCE(phone, \(result.phones.first)),
                email = COALESCE(email, \(result.emails.first)),
                ai_updated_at = now(),
                last_event_time = \(result.eventTime),
                updated_at = now()
            WHERE lead_id = \(result.leadID)
            """,
            logger: logger
        )
    }

    private func insertFollowUp(_ action: FollowUpAction, for result: AIResultEvent, on connection: PostgresConnection) async throws {
        switch action {
        case .orderDraft:
            let products = Self.json(.array(result.entityArray("products")))
            let quantities = Self.json(.array(result.entityArray("quantities")))
            let prices = Self.json(.array(result.entityArray("prices")))
            try await connection.query(
                """
                INSERT INTO order_drafts (lead_id, business_id, tenant_id, source_event_id, products, quantities, prices)
                VALUES (\(result.leadID), \(result.businessID), \(result.tenantID), \(result.eventID), \(products)::jsonb, \(quantities)::jsonb, \(prices)::jsonb)
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        case .salesNotification(let reason, let priority):
            try await connection.query(
                """
                INSERT INTO sales_notifications (lead_id, business_id, tenant_id, source_event_id, reason, priority, lead_score, lead_quality)
                VALUES (\(result.leadID), \(result.businessID), \(result.tenantID), \(result.eventID), \(reason), \(priority.rawValue), \(result.leadScore), \(result.leadQuality?.rawValue))
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        case .supportTicket(let category, let priority):
            let orderIDs = Self.json(.array(result.orderIDs.map(JSONValue.string)))
            try await connection.query(
                """
                INSERT INTO support_tickets (lead_id, business_id, tenant_id, source_event_id, category, priority, order_ids, sentiment)
                VALUES (\(result.leadID), \(result.businessID), \(result.tenantID), \(result.eventID), \(category), \(priority.rawValue), \(orderIDs)::jsonb, \(result.sentiment))
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        case .callbackTask(let kind):
            let date = result.firstDate
            try await connection.query(
                """
                INSERT INTO callback_tasks (lead_id, business_id, tenant_id, source_event_id, kind, requested_time, requested_time_text, phone)
                VALUES (\(result.leadID), \(result.businessID), \(result.tenantID), \(result.eventID), \(kind), \(date?.value), \(date?.text), \(result.phones.first))
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        case .reviewFlag(let reason):
            try await connection.query(
                """
                INSERT INTO review_flags (lead_id, business_id, tenant_id, source_event_id, reason, intent, confidence)
                VALUES (\(result.leadID), \(result.businessID), \(result.tenantID), \(result.eventID), \(reason), \(result.intent?.intent.rawValue), \(result.intent?.confidence))
                ON CONFLICT DO NOTHING
                """,
                logger: logger
            )
        }
    }

    private func applyError(_ event: AIErrorEvent, record: InboundRecord, on connection: PostgresConnection) async throws -> ApplyOutcome {
        var outcome = ApplyOutcome(record: record, status: .errorRecorded, eventID: event.eventID, leadID: event.leadID)
        guard try await claim(
            eventID: event.eventID, eventType: InboundKind.error.rawValue, record: record, leadID: event.leadID,
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
            lead = try await upsertLead(leadID: leadID, businessID: businessID, tenantID: event.tenantID, on: connection)
        } else {
            let rows = try await connection.query(
                "SELECT business_id, tenant_id, last_event_time FROM leads WHERE lead_id = \(leadID) FOR UPDATE",
                logger: logger
            )
            var found: LeadState?
            for try await (business, tenant, lastEventTime) in rows.decode((String, String?, Date?).self) {
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
        try await connection.query(
            """
            INSERT INTO lead_activities (lead_id, activity_type, source_event_id, metadata)
            VALUES (\(leadID), 'ai_error', \(event.eventID), \(Self.errorMetadata(event, record: record))::jsonb)
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
        let rows = try await connection.query(
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
        for try await id in rows.decode(Int64.self) { return id }
        throw PersistenceError(code: .unexpected, message: "dead-letter insert returned no row")
    }

    // MARK: Helpers

    func withTransaction<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws(PersistenceError) -> T {
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                try await connection.query("BEGIN", logger: logger)
                do {
                    let value = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
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
                    (try? await connection.query("ROLLBACK", logger: logger)) != nil
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
        return writer.string
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
