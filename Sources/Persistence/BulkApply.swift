import Events
import Foundation
import Logging
import PostgresNIO

/// How `ResultApplier` applies `ai.process.result` records, in batches or alone: three
/// statements whatever the count (claim the source keys; create missing leads and lock those of
/// the results' business, in lead id order; then one statement of CTEs for lead updates, outcome
/// marks, activities, follow-ups and refusals), with rows passed as one JSON document per table.
/// The decisions (duplicate, business/tenant refusal, stale) are taken in Swift, in batch order,
/// on the leads' state; several results of one lead fold into one UPDATE (`LeadPatch`). Other
/// records (ai.error, undecodable, unknown topic) follow on the per-record path in the same
/// transaction.
extension ResultApplier {
    typealias DecodedResult = (index: Int, record: InboundRecord, result: AIResultEvent)

    func applyBulk(_ records: [InboundRecord], on connection: PostgresConnection) async throws -> [ApplyOutcome] {
        var outcomes = [ApplyOutcome?](repeating: nil, count: records.count)
        var results: [DecodedResult] = []
        for (index, record) in records.enumerated() where topics.kind(of: record.topic) == .result {
            guard case .result(let result)? = try? InboundDecoder.decode(record.value, as: .result) else { continue }
            results.append((index, record, result))
        }
        try await applyResults(results, outcomes: &outcomes, on: connection)

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

    /// Applies decoded results, setting `outcomes[index]` of each.
    func applyResults(_ results: [DecodedResult], outcomes: inout [ApplyOutcome?], on connection: PostgresConnection) async throws {
        var unique: [DecodedResult] = []
        var seen = Set<String>()
        for entry in results {
            if seen.insert(SourceKey.of(entry.result)).inserted {
                unique.append(entry)
            } else {
                outcomes[entry.index] = ApplyOutcome(record: entry.record, status: .duplicate, eventID: entry.result.eventID, leadID: entry.result.leadID)
            }
        }
        guard !unique.isEmpty else { return }
        // 1. Claim the source keys (and event ids).
        var claimRows = JSONWriter(capacity: 160 * unique.count)
        claimRows.beginArray()
        for (_, record, result) in unique {
            claimRows.beginObject()
            claimRows.key("event_id"); claimRows.string(result.eventID)
            claimRows.key("source_key"); claimRows.string(SourceKey.of(result))
            claimRows.key("topic"); claimRows.string(record.topic)
            claimRows.key("partition"); claimRows.int(Int(record.partition))
            claimRows.key("offset"); claimRows.int(Int(record.offset))
            claimRows.key("lead_id"); claimRows.string(result.leadID)
            claimRows.endObject()
        }
        claimRows.endArray()
        let claimedRows = try await connection.run(
            """
            INSERT INTO processed_messages (event_id, source_key, event_type, topic, partition, "offset", lead_id, outcome)
            SELECT x.event_id, x.source_key, 'ai.process.result', x.topic, x.partition, x."offset", x.lead_id, 'applied'
            FROM jsonb_to_recordset(\(claimRows.string)::jsonb)
                AS x(event_id text, source_key text, topic text, partition integer, "offset" bigint, lead_id text)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """,
            logger: logger
        )
        let claimed = Set(try claimedRows.decode(String.self))
        var claimedResults: [DecodedResult] = []
        for entry in unique {
            if claimed.contains(entry.result.eventID) {
                claimedResults.append(entry)
            } else {
                outcomes[entry.index] = ApplyOutcome(record: entry.record, status: .duplicate, eventID: entry.result.eventID, leadID: entry.result.leadID)
            }
        }
        if !claimedResults.isEmpty {
            try await applyClaimed(claimedResults, outcomes: &outcomes, on: connection)
        }
    }

    private func applyClaimed(
        _ claimed: [DecodedResult],
        outcomes: inout [ApplyOutcome?],
        on connection: PostgresConnection
    ) async throws {
        // 2. Create missing leads from the first result naming them; lock the existing ones that
        //    a result of their own business names, in id order. A lead of another business is
        //    only read: a foreign result neither creates nor locks it.
        var leads = try await leadStates(for: claimed.map(\.result), on: connection)

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
            if let refusal = lead.refusal(businessID: result.businessID, tenantID: result.tenantID) {
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
            }
            leads[result.leadID] = lead

            let actions = registry.actions(for: result)
            outcome.followUps = actions.map(\.name)
            activities.beginObject()
            activities.key("lead_id"); activities.string(result.leadID)
            activities.key("source_event_id"); activities.string(result.eventID)
            activities.key("source_key"); activities.string(SourceKey.of(result))
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
        for leadID in patchOrder.sorted() { patches[leadID]?.write(leadID: leadID, to: &updates) }
        updates.endArray()

        // 4. Everything else in one statement.
        var sql = SQLBuilder()
        var parts: [String] = [
            LeadPatch.updateStatement(rows: sql.bind(updates.string)),
            """
            marks AS (
                UPDATE processed_messages p SET outcome = x.outcome
                FROM jsonb_to_recordset(\(sql.bind(marks.string))::jsonb) AS x(event_id text, outcome text)
                WHERE p.event_id = x.event_id
                RETURNING 1)
            """,
            """
            activities AS (
                INSERT INTO lead_activities (lead_id, activity_type, source_event_id, source_key, metadata)
                SELECT x.lead_id, 'ai_processed', x.source_event_id, x.source_key, x.metadata
                FROM jsonb_to_recordset(\(sql.bind(activities.string))::jsonb) AS x(lead_id text, source_event_id text, source_key text, metadata jsonb)
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
        writer.key("source_key"); writer.string(SourceKey.of(result))
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
        let common = "lead_id text, business_id text, tenant_id text, source_event_id text, source_key text"
        switch name {
        case "order_draft":
            return """
                INSERT INTO order_drafts (lead_id, business_id, tenant_id, source_event_id, source_key, products, quantities, prices)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.source_key, x.products, x.quantities, x.prices
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), products jsonb, quantities jsonb, prices jsonb)
                """
        case "sales_notification":
            return """
                INSERT INTO sales_notifications (lead_id, business_id, tenant_id, source_event_id, source_key, reason, priority, lead_score, lead_quality)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.source_key, x.reason, x.priority, x.lead_score, x.lead_quality
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), reason text, priority text, lead_score integer, lead_quality text)
                """
        case "support_ticket":
            return """
                INSERT INTO support_tickets (lead_id, business_id, tenant_id, source_event_id, source_key, category, priority, order_ids, sentiment)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.source_key, x.category, x.priority, x.order_ids, x.sentiment
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), category text, priority text, order_ids jsonb, sentiment text)
                """
        case "callback_task":
            return """
                INSERT INTO callback_tasks (lead_id, business_id, tenant_id, source_event_id, source_key, kind, requested_time, requested_time_text, phone)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.source_key, x.kind, to_timestamp(x.requested_epoch), x.requested_time_text, x.phone
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), kind text, requested_epoch float8, requested_time_text text, phone text)
                """
        default:
            return """
                INSERT INTO review_flags (lead_id, business_id, tenant_id, source_event_id, source_key, reason, intent, confidence)
                SELECT x.lead_id, x.business_id, x.tenant_id, x.source_event_id, x.source_key, x.reason, x.intent, x.confidence
                FROM jsonb_to_recordset(\(rows)::jsonb) AS x(\(common), reason text, intent text, confidence float8)
                """
        }
    }
}
