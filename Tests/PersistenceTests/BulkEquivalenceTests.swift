import Foundation
import PostgresNIO
import Testing

@testable import Persistence

/// Property: a batch applied in one go (the bulk path folds several results of a lead into one
/// UPDATE) leaves the database exactly as the same records applied one at a time, and as the
/// per-record path with savepoints. Generated batches mix leads, stale results, duplicates,
/// tenant mismatches, null intents and follow-up intents.
@Suite("Bulk and per-record paths agree")
struct BulkEquivalenceTests {
    static func generateBatch(seed: UInt64) -> [InboundRecord] {
        var random = SplitMix64(seed: seed)
        func pick<T>(_ values: [T]) -> T { values[Int(random.next() % UInt64(values.count))] }
        let leads = (0..<4).map { "lead-\(seed)-\($0)" }
        let intents: [String?] = ["ORDER_REQUEST", "COMPLAINT", "SCHEDULE_CALL", "GREETING", "HUMAN_AGENT", "PRICING_INQUIRY", nil]
        var specs: [ResultSpec] = []
        for index in 0..<40 {
            if index > 3, random.next() % 8 == 0 {
                specs.append(pick(specs))  // a duplicate delivery
                continue
            }
            var spec = ResultSpec(eventID: "event-\(seed)-\(index)", leadID: pick(leads))
            spec.processingID = "processing-\(index)"
            spec.sourceEventID = "source-\(index)"
            spec.intent = pick(intents)
            spec.confidence = pick([0.3, 0.55, 0.7, 0.95])
            spec.tenantID = random.next() % 10 == 0 ? "tenant-other" : pick(["tenant-1", "tenant-1", nil])
            spec.timestamp = "2025-10-25T10:\(String(format: "%02d", Int(random.next() % 60))):00Z"
            spec.leadScore = pick([nil, 10, 55, 90])
            spec.leadQuality = spec.leadScore.map { $0 >= 70 ? "hot" : ($0 >= 40 ? "warm" : "cold") }
            spec.phones = pick([[], ["+9198\(index)"]])
            spec.emails = pick([[], ["a\(index)@example.com"]])
            spec.dates = pick([[], [("2025-10-26T17:00:00+05:30", "tomorrow at 5pm")]])
            specs.append(spec)
        }
        return specs.enumerated().map { $0.element.record(offset: Int64($0.offset), partition: 0) }
    }

    /// Every row that matters, without generated ids and wall-clock times.
    static func state(_ client: PostgresClient) async throws -> [String] {
        let queries = [
            """
            SELECT concat_ws('|', lead_id, business_id, tenant_id, intent_type, extracted_entities::text, custom_fields::text,
                   lead_quality, lead_score, phone, email, last_event_time, ai_updated_at IS NOT NULL) FROM leads
            """,
            "SELECT concat_ws('|', lead_id, activity_type, source_event_id, metadata::text) FROM lead_activities",
            "SELECT concat_ws('|', event_id, topic, partition, \"offset\", lead_id, outcome) FROM processed_messages",
            "SELECT concat_ws('|', topic, partition, \"offset\", event_id, lead_id, error_code, error, status, attempts) FROM dead_letter_queue",
            "SELECT concat_ws('|', lead_id, business_id, tenant_id, source_event_id, status, products::text, quantities::text, prices::text) FROM order_drafts",
            "SELECT concat_ws('|', lead_id, business_id, tenant_id, source_event_id, reason, priority, lead_score, lead_quality) FROM sales_notifications",
            "SELECT concat_ws('|', lead_id, business_id, tenant_id, source_event_id, category, priority, order_ids::text, sentiment) FROM support_tickets",
            "SELECT concat_ws('|', lead_id, business_id, tenant_id, source_event_id, kind, requested_time, requested_time_text, phone) FROM callback_tasks",
            "SELECT concat_ws('|', lead_id, business_id, tenant_id, source_event_id, reason, intent, confidence) FROM review_flags",
        ]
        var lines: [String] = []
        for query in queries {
            let rows = try await client.query(PostgresQuery(unsafeSQL: query))
            var table: [String] = []
            for try await line in rows.decode(String.self) { table.append(line) }
            lines += table.sorted()
            lines.append("--")
        }
        return lines
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func batchEqualsOneByOneEqualsIsolated(seed: UInt64) async throws {
        let batch = Self.generateBatch(seed: seed)
        let bulk = try await TestDatabase.withClient { client, _ in
            let applier = ResultApplier(client: client, retrier: TestDatabase.retrier(), logger: TestDatabase.logger())
            let outcomes = try await applier.applyReliably(batch)
            return (try await Self.state(client), outcomes.map(\.status))
        }
        let sequential = try await TestDatabase.withClient { client, _ in
            let applier = ResultApplier(client: client, retrier: TestDatabase.retrier(), logger: TestDatabase.logger())
            var statuses: [ApplyOutcome.Status] = []
            for record in batch { statuses.append(try await applier.apply(record).status) }
            return (try await Self.state(client), statuses)
        }
        let isolated = try await TestDatabase.withClient { client, _ in
            let applier = ResultApplier(client: client, retrier: TestDatabase.retrier(), logger: TestDatabase.logger())
            let outcomes = try await applier.applyBatch(batch, isolated: true)
            return (try await Self.state(client), outcomes.map(\.status))
        }
        #expect(Set(bulk.1).count >= 3, "the generated batch exercises several outcomes: \(bulk.1)")
        #expect(bulk.1 == sequential.1)
        #expect(bulk.1 == isolated.1)
        #expect(bulk.0 == sequential.0)
        #expect(bulk.0 == isolated.0)
    }
}
