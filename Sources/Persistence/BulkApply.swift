import Events
import Foundation
import Logging
import PostgresNIO

/// The fast path of `ResultApplier.apply`: the `ai.process.result` records of a batch in three
/// statements whatever the batch size (claim the event ids; create and lock the leads, in lead id
/// order; then one statement of CTEs for lead updates, outcome marks, activities, follow-ups and
/// refusals), with rows passed as one JSON document per table. The decisions (duplicate,
/// business/tenant mismatch, stale) are taken in Swift, in batch order, on the locked leads'
/// state, exactly as the per-record path takes them; several results of one lead fold into one
/// UPDATE with the same final state. Other records (ai.error, undecodable, unknown topic) follow
/// on the per-record path in the same transaction.
extension ResultApplier {
    func applyBulk(_ records: [InboundRecord], on connection: PostgresConnection) async throws -> [ApplyOutcome] {
        var outcomes = [ApplyOutcome?](repeating: nil, count: records.count)
        var results: [(index: Int, record: InboundRecord, result: AIResultEvent)] = []
        var seenEventIDs = Set<String>()
        for (index, record) in records.enumerated() where topics.kind(of: record.topic) == .result {
            guard case .result(let result)? = try? InboundDecoder.decode(record.value, as: .result) else { continue }
            if seenEventIDs.insert(result.eventID).inserted {
                results.append((index, record, result))
            } else {
                outcomes[index] = ApplyOutcome(record: record, status: .duplicate, eventID: result.eventID, leadID: result.leadID)
            }
        }

        if !results.isEmpty {
            // 1. Claim the event ids.
            var claimRows = JSONWriter(capacity: 128 * results.count)
            claimRows.beginArray()
            for (_, record, result) in results {
                claimRows.beginObject()
                claimRows.key("event_id"); claimRows.string(result.eventID)
                claimRows.key("topic"); claimRows.string(record.topic)
                claimRows.key("partition"); claimRows.int(Int(record.partition))
                claimRows.key("offset"); claimRows.int(Int(record.offset))
                claimRows.key("lead_id"); claimRows.string(result.leadID)
                claimRows.endObject()
            }
            claimRows.endArray()
            let claimedRows = try await connection.run(
                """
                INSERT INTO processed_messages (event_id, event_type, topic, partition, "offset", lead_id, outcome)
                SELECT x.event_id, 'ai.process.result', x.topic, x.partition, x."offset", x.lead_id, 'applied'
                FROM jsonb_to_recordset(\(claimRows.string)::jsonb)
                    AS x(event_id text, topic text, partition integer, "offset" bigint, lead_id text)
                ON CONFLICT (event_id) DO NOTHING
                RETURNING event_id
                """,
                logger: logger
            )
            let claimed = Set(try claimedRows.decode(String.self))
            var claimedResults: [(index: Int, record: InboundRecord, result: AIResultEvent)] = []
            for entry in results {
                if claimed.contains(entry.result.eventID) {
                    claimedResults.append(entry)
                } else {
                    outcomes[entry.index] = ApplyOutcome(
                        record: entry.record, status: .duplicate, eventID: entry.result.eventID, leadID: entry.result.leadID
                    )
                }
            }
            if !claimedResults.isEmpty {
                try await applyClaimed(claimedResults, outcomes: &outcomes, on: connection)
            }
        }

        // The other records, one by one, in batch order.
        for index in records.indices where outcomes[index] == nil {
            outcomes[index] = try await applyOne(records[index], isolated: false, on: connection)
        }
        let filled = outcomes.compactMap { $0 }
        guard filled.count == records.count else {
            throw PersistenceError(code: .unexpected, message: "a record of the batch got no outcome")
        }
        return filled
    }

    private struct LeadPatch {
        var intent: String?
        var entities: JSONObject?
        var confidence: Double?
        var tier: String?
        var quality: String?
        var score: Int?
        var tenantID: String?
        var phone: String?
        var email: String?
        var eventTime: Date

        init(_ result: AIResultEvent) {
            eventTime = result.eventTime
            fold(result)
        }

        /// The same final state as applying the results one after the other.
        mutating func fold(_ result: AIResultEvent) {
            if let intent = result.intent {
                self.intent = intent.intent.rawValue
                confidence = intent.confidence
                tier = intent.tier.rawValue
            }
            if let entities = result.entities { self.entities = entities }
            if let quality = result.leadQuality { self.quality = quality.rawValue }
            if let score = result.leadScore { self.score = score }
            tenantID = tenantID ?? result.tenantID
            phone = phone ?? result.phones.first
            email = email ?? result.emails.first
            eventTime = result.eventTime
        }
    }

    private func applyClaimed(
        _ claimed: [(index: Int, record: InboundRecord, result: AIResultEvent)],
        outcomes: inout [ApplyOutcome?],
        on connection: PostgresConnection
    ) async throws {
        // 2. Create missing leads from the first result naming them; lock all, in id order.
        var firstByLead: [String: AIResultEvent] = [:]
        for (_, _, result) in claimed where firstByLead[result.leadID] == nil { firstByLead[result.leadID] = result }
        var leadRows = JSONWriter(capacity: 96 * firstByLead.count)
        leadRows.beginArray()
        for (leadID, result) in firstByLead.sorted(by: { $0.key < $1.key }) {
            leadRows.beginObject()
            leadRows.key("lead_id"); leadRows.string(leadID)
            leadRows.key("business_id"); leadRows.string(result.businessID)
            leadRows.key("tenant_id"); leadRows.string(result.tenantID)
            leadRows.endObject()
        }
        leadRows.endArray()
        let lockedRows = try await connection.run(
            """
            INSERT INTO leads (lead_id, business_id, tenant_id)
            SELECT x.lead_id, x.business_id, x.tenant_id
            FROM jsonb_to_recordset(\(leadRows.string)::jsonb) AS x(lead_id text, business_id text, tenant_id text)
            ORDER BY x.lead_id
            ON CONFLICT (lead_id) DO UPDATE SET lead_id = EXCLUDED.lead_id
            RETURNING lead_id, business_id, tenant_id, last_event_time, (xmax::text = '0')
            """,
            logger: logger
        )
        var leads: [String: LeadState] = [:]
        for (leadID, business, tenant, lastEventTime, created) in try lockedRows.decode((String, String, String?, Date?, Bool).self) {
            leads[leadID] = LeadState(businessID: business, tenantID: tenant, lastEventTime: lastEventTime, created: created)
        }

        // 3. Decide, in batch order, and collect the rows of the final statement.
        var patches: [String: LeadPatch] = [:]
        var patchOrder: [String] = []
        var marks = JSONWriter()
        var activities = JSONWriter(capacity: 1024 * claimed.count)
        var followUps: [String: JSONWriter] = [:]
        var refusals = JSONWriter()
        var refusedPositions: [String: Int] = [:]
        marks.beginArray()
        activities.beginArray()
        refusals.beginArray()
        for (index, record, result) in claimed {
            var outcome = ApplyOutcome(record: record, status: .applied, eventID: result.eventID, leadID: result.leadID)
            guard var lead = leads[result.leadID] else {
                throw PersistenceError(code: .unexpected, message: "a claimed lead was not returned by the upsert")
            }
            outcome.leadCreated = lead.created
            lead.created = false
            if let refusal = mismatch(lead, businessID: result.businessID, tenantID: result.tenantID) {
                outcome.status = .deadLettered
                outcome.deadLetterCode = refusal.code
                outcome.leadCreated = false
                Self.writeMark(result.eventID, outcome: .deadLettered, to: &marks)
                let error = refusal.at(topic: record.topic, partition: record.partition, offset: record.offset)
                Self.writeDeadLetter(record, eventID: result.eventID, leadID: result.leadID, error: error, to: &refusals)
                refusedPositions["\(record.partition)/\(record.offset)/\(record.topic)"] = index
                leads[result.leadID] = lead
                outcomes[index] = outcome
                continue
            }
            let stale = lead.lastEventTime.map { $0 > result.eventTime } ?? false
            if stale {
                outcome.status = .stale
                Self.writeMark(result.eventID, outcome: .stale, to: &marks)
            } else {
                if patches[result.leadID] == nil {
                    patches[result.leadID] = LeadPatch(result)
                    patchOrder.append(result.leadID)
                } else {
                    patches[result.leadID]?.fold(result)
                }
                lead.lastEventTime = result.eventTime
                lead.tenantID = lead.tenantID ?? result.tenantID
            }
            leads[result.leadID] = lead

            let actions = registry.actions(for: result)
            outcome.followUps = actions.map(\.name)
            activities.beginObject()
            activities.key("lead_id"); activities.string(result.leadID)
            activities.key("source_event_id"); activities.string(result.eventID)
            activities.key("metadata")
            Self.writeActivityMetadata(result, record: record, stale: stale, actions: actions, to: &activities)
            activities.endObject()
            for action in actions {
                var rows = followUps[action.name] ?? { var writer = JSONWriter(); writer.beginArray(); return writer }()
                Self.writeFollowUp(action, for: result, to: &rows)
                followUps[action.name] = rows
            }
            outcomes[index] = outcome
        }
        marks.endArray()
        activities.endArray()
        refusals.endArray()

        var updates = JSONWriter(capacity: 512 * patchOrder.count)
        updates.beginArray()
        for leadID in patchOrder.sorted() {
            guard let patch = patches[leadID] else { continue }
            updates.beginObject()
            updates.key("lead_id"); updates.string(leadID)
            updates.key("intent_type"); updates.string(patch.intent)
            updates.key("extracted_entities")
            if let entities = patch.entities { updates.value(.object(entities)) } else { updates.null() }
            updates.key("ai_confidence")
            if let confidence = patch.confidence { updates.number(confidence, fractionDigits: 12) } else { updates.null() }
            updates.key("ai_tier"); updates.string(patch.tier)
            updates.key("lead_quality"); updates.string(patch.quality)
            updates.key("lead_score")
            if let score = patch.score { updates.int(score) } else { updates.null() }
            updates.key("tenant_id"); updates.string(patch.tenantID)
            updates.key("phone"); updates.string(patch.phone)
            updates.key("email"); updates.string(patch.email)
            updates.key("event_epoch"); updates.number(patch.eventTime.timeIntervalSince1970, fractionDigits: 6)
            updates.endObject()
        }
        updates.endArray()

        // 4. Everything else in one statement.
        var sql = SQLBuilder()
        var parts: [String] = [
            """
            lead_update AS (
                UPDATE leads l SET
                    intent_type = COALESCE(x.intent_type, l.intent_type),
                    extracted_entities = COALESCE(x.extracted_entities, l.extracted_entities),
                    custom_fields = CASE WHEN x.ai_confidence IS NULL THEN l.custom_fields
                        ELSE COALESCE(l.custom_fields, '{}'::jsonb) || jsonb_build_object('ai_confidence', x.ai_confidence, 'ai_tier', x.ai_tier)
                        END,
                    lead_quality = COALESCE(x.lead_quality, l.lead_quality),
                    lead_score = COALESCE(x.lead_score, l.lead_score),
                    tenant_id = COALESCE(l.tenant_id, x.tenant_id),
                    phone = COALESCE(l.phone, x.phone),
                    email = COALESCE(l.email, x.email),
                    ai_updated_at = now(),
                    last_event_time = to_timestamp(x.event_epoch),
                    updated_at = now()
                FROM jsonb_to_recordset(\(sql.bind(updates.string))::jsonb) AS x(
                    lead_id text, intent_type text, extracted_entities jsonb, ai_confidence float8, ai_tier text,
                    lead_quality text, lead_score integer, tenant_id text, phone text, email text, event_epoch float8)
                WHERE l.lead_id = x.lead_id
                RETURNING 1)
            """,
            """
            marks AS (
                UPDATE processed_messages p SET outcome = x.outcome
                FROM jsonb_to_recordset(\(sql.bind(marks.string))::jsonb) AS x(event_id text, outcome text)
                WHERE p.event_id = x.event_id
                RETURNING 1)
            """,
            """
            activities AS (
                INSERT INTO lead_activities (lead_id, activity_type, source_event_id, metadata)
                SELECT x.lead_id, 'ai_processed', x.source_event_id, x.metadata
                FROM jsonb_to_recordset(\(sql.bind(activities.string))::jsonb) AS x(lead_id text, source_event_id text, metadata jsonb)
                ON CONFLICT DO NOTHING
                RETURNING 1)
            """,
        ]
        for (name, var rows) in followUps.sorted(by: { $0.key < $1.key }) {
            rows.endArray()
            parts.append("\(name) AS (\(Self.followUpBulkInsert(name, rows: sql.bind(rows.string))) ON CONFLICT DO NOTHING RETURNING 1)")
        }
        parts.append(
            """
            refusals AS (
                INSERT INTO dead_letter_queue (topic, partition, "offset", key, key_encoding, payload, payload_encoding, event_id, lead_id, error_code, error)
                SELECT x.topic, x.partition, x."offset", x.key, x.key_encoding, x.payload, x.payload_encoding, x.event_id, x.lead_id, x.error_code, x.error
                FROM jsonb_to_recordset(\(sql.bind(refusals.string))::jsonb) AS x(
                    topic text, partition integer, "offset" bigint, key text, key_encoding text, payload text,
                    payload_encoding text, event_id text, lead_id text, error_code text, error text)
                ON CONFLICT (topic, partition, "offset") DO UPDATE SET
                    attempts = dead_letter_queue.attempts + 1,
                    error_code = EXCLUDED.error_code,
                    error = EXCLUDED.error,
                    status = 'failed',
                    updated_at = now()
                RETURNING id, topic, partition, "offset")
            """
        )
        sql.text = "WITH " + parts.joined(separator: ",\n") + "\nSELECT id, topic, partition, \"offset\" FROM refusals"
        let refused = try await connection.run(sql.query, logger: logger)
        for (id, topic, partition, offset) in try refused.decode((Int64, String, Int32, Int64).self) {
            if let index = refusedPositions["\(partition)/\(offset)/\(topic)"] {
                outcomes[index]?.deadLetterID = id
            }
        }
    }

    private static func writeMark(_ eventID: String, outcome: ApplyOutcome.Status, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("event_id"); writer.string(eventID)
        writer.key("outcome"); writer.string(outcome.rawValue)
        writer.endObject()
    }

    private static func writeDeadLetter(
        _ record: InboundRecord, eventID: String?, leadID: String?, error: PersistenceError, to writer: inout JSONWriter
    ) {
        let key = DeadLetterEntry.storable(record.key)
        let payload = DeadLetterEntry.storable(record.value)
        writer.beginObject()
        writer.key("topic"); writer.string(record.topic)
        writer.key("partition"); writer.int(Int(record.partition))
        writer.key("offset"); writer.int(Int(record.offset))
        writer.key("key"); writer.string(key.text)
        writer.key("key_encoding"); writer.string(key.encoding)
        writer.key("payload"); writer.string(payload.text ?? "")
        writer.key("payload_encoding"); writer.string(payload.encoding)
        writer.key("event_id"); writer.string(eventID)
        writer.key("lead_id"); writer.string(leadID)
        writer.key("error_code"); writer.string(error.code.rawValue)
        writer.key("error"); writer.string(error.debugDescription)
        writer.endObject()
    }

    private static func writeFollowUp(_ action: FollowUpAction, for result: AIResultEvent, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("lead_id"); writer.string(result.leadID)
        writer.key("business_id"); writer.string(result.businessID)
        writer.key("tenant_id"); writer.string(result.tenantID)
        writer.key("source_event_id"); writer.string(result.eventID)
        switch action {
        case .orderDraft:
            writer.key("products"); writer.value(.array(result.entityArray("products")))
            writer.key("quantities"); writer.value(.array(result.entityArray("quantities")))
            writer.key("prices"); writer.value(.array(result.entityArray("prices")))
        case .salesNotification(let reason, let priority):
            writer.key("reason"); writer.string(reason)
            writer.key("priority"); writer.string(priority.rawValue)
            writer.key("lead_score")
            if let score = result.leadScore { writer.int(score) } else { writer.null() }
            writer.key("lead_quality"); writer.string(result.leadQuality?.rawValue)
        case .supportTicket(let category, let priority):
            writer.key("category"); writer.string(category)
            writer.key("priority"); writer.string(priority.rawValue)
            writer.key("order_ids"); writer.stringArray(result.orderIDs)
            writer.key("sentiment"); writer.string(result.sentiment)
        case .callbackTask(let kind):
            let date = result.firstDate
            writer.key("kind"); writer.string(kind)
            writer.key("requested_epoch")
            if let value = date?.value { writer.number(value.timeIntervalSince1970, fractionDigits: 6) } else { writer.null() }
            writer.key("requested_time_text"); writer.string(date?.text)
            writer.key("phone"); writer.string(result.phones.first)
        case .reviewFlag(let reason):
            writer.key("reason"); writer.string(reason)
            writer.key("intent"); writer.string(result.intent?.intent.rawValue)
            writer.key("confidence")
            if let confidence = result.intent?.confidence { writer.number(confidence, fractionDigits: 12) } else { writer.null() }
        }
        writer.endObject()
    }

    /// `INSERT ... SELECT ... FROM jsonb_to_recordset(rows)` for one follow-up kind (by `FollowUpAction.name`).
    private static func followUpBulkInsert(_ name: String, rows: String) -> String {
        let common = "lead_id text, business_id text, tenant_id text, source_event_id text"
        switch name {
        case "order_draft":
            return """
                INSERT INTO order_drafts (lead_id, business_id, tenant_id, source_event_id, products, quantities, prices)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.products, x.quantities, x.prices
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), products jsonb, quantities jsonb, prices jsonb)
                """
        case "sales_notification":
            return """
                INSERT INTO sales_notifications (lead_id, business_id, tenant_id, source_event_id, reason, priority, lead_score, lead_quality)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.reason, x.priority, x.lead_score, x.lead_quality
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), reason text, priority text, lead_score integer, lead_quality text)
                """
        case "support_ticket":
            return """
                INSERT INTO support_tickets (lead_id, business_id, tenant_id, source_event_id, category, priority, order_ids, sentiment)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.category, x.priority, x.order_ids, x.sentiment
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), category text, priority text, order_ids jsonb, sentiment text)
                """
        case "callback_task":
            return """
                INSERT INTO callback_tasks (lead_id, business_id, tenant_id, source_event_id, kind, requested_time, requested_time_text, phone)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.kind, to_timestamp(x.requested_epoch), x.requested_time_text, x.phone
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), kind text, requested_epoch float8, requested_time_text text, phone text)
                """
        default:
            return """
                INSERT INTO review_flags (lead_id, business_id, tenant_id, source_event_id, reason, intent, confidence)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.reason, x.intent, x.confidence
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), reason text, intent text, confidence float8)
                """
        }
    }
}
