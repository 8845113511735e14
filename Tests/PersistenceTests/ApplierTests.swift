import Events
import Foundation
import PostgresNIO
import Testing

@testable import Persistence

/// Against the real PostgreSQL of `DATABASE_URL`, one schema per test.
@Suite("ResultApplier on PostgreSQL")
struct ApplierTests {
    private func applier(_ client: PostgresClient) -> ResultApplier {
        ResultApplier(client: client, retrier: TestDatabase.retrier(), logger: TestDatabase.logger())
    }

    private func leadRow(_ client: PostgresClient, _ leadID: String) async throws -> (business: String, tenant: String?, intent: String?, quality: String?, score: Int?, custom: String, phone: String?, email: String?)? {
        let rows = try await client.query(
            """
            SELECT business_id, tenant_id, intent_type, lead_quality, lead_score, custom_fields::text, phone, email
            FROM leads WHERE lead_id = \(leadID)
            """
        )
        for try await row in rows.decode((String, String?, String?, String?, Int?, String, String?, String?).self) {
            return (row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7)
        }
        return nil
    }

    @Test func sameResultTwiceChangesNothingTheSecondTime() async throws {
        try await TestDatabase.withClient { client, _ in
            let applier = applier(client)
            let spec = ResultSpec()
            let first = try await applier.apply(spec.record(offset: 10))
            #expect(first.status == .applied)
            #expect(first.leadCreated)
            #expect(first.followUps == ["order_draft", "sales_notification"])
            let before = try await TestDatabase.snapshot(client)

            // Redelivered (same event, e.g. after a rebalance), and once more at another offset.
            let second = try await applier.apply(spec.record(offset: 10))
            let third = try await applier.apply(spec.record(offset: 11, partition: 2))
            #expect(second.status == .duplicate)
            #expect(third.status == .duplicate)
            #expect(second.followUps.isEmpty)
            let after = try await TestDatabase.snapshot(client)
            #expect(before == after)
            #expect(try await TestDatabase.count(client, "lead_activities") == 1)
            #expect(try await TestDatabase.count(client, "order_drafts") == 1)
        }
    }

    @Test func leadIsCreatedFromTheResultsIDs() async throws {
        try await TestDatabase.withClient { client, _ in
            var spec = ResultSpec()
            spec.intent = "PRICING_INQUIRY"
            spec.leadScore = 55
            spec.leadQuality = "warm"
            let outcome = try await applier(client).apply(spec.record(offset: 1))
            #expect(outcome.status == .applied)
            #expect(outcome.leadCreated)
            let lead = try #require(try await leadRow(client, spec.leadID))
            #expect(lead.business == "biz-1")
            #expect(lead.tenant == "tenant-1")
            #expect(lead.intent == "PRICING_INQUIRY")
            #expect(lead.quality == "warm")
            #expect(lead.score == 55)
            #expect(lead.phone == "+919876543210")
            #expect(lead.email == "asha@example.com")
            #expect(lead.custom.contains(#""ai_tier": "rules""#))
            #expect(lead.custom.contains(#""ai_confidence": 0.95"#))
            #expect(try await TestDatabase.count(client, "lead_activities", where: "activity_type = 'ai_processed'") == 1)
        }
    }

    @Test func customFieldsAreMergedNotReplaced() async throws {
        try await TestDatabase.withClient { client, _ in
            let spec = ResultSpec()
            try await client.query(
                """
                INSERT INTO leads (lead_id, business_id, tenant_id, first_name, phone, custom_fields)
                VALUES (\(spec.leadID), 'biz-1', 'tenant-1', 'Asha', '+910000000000', '{"crm_owner": "ravi", "ai_tier": "old"}')
                """
            )
            let outcome = try await applier(client).apply(spec.record(offset: 1))
            #expect(outcome.status == .applied)
            #expect(!outcome.leadCreated)
            let lead = try #require(try await leadRow(client, spec.leadID))
            #expect(lead.custom.contains(#""crm_owner": "ravi""#))
            #expect(lead.custom.contains(#""ai_tier": "rules""#))
            #expect(lead.phone == "+910000000000", "an existing phone is not overwritten")
        }
    }

    @Test func tenantOrBusinessMismatchIsDeadLettered() async throws {
        try await TestDatabase.withClient { client, _ in
            let applier = applier(client)
            let original = ResultSpec()
            _ = try await applier.apply(original.record(offset: 1))

            var otherTenant = ResultSpec(leadID: original.leadID)
            otherTenant.tenantID = "tenant-2"
            otherTenant.intent = "COMPLAINT"
            otherTenant.timestamp = "2025-10-25T11:00:00Z"
            let refused = try await applier.apply(otherTenant.record(offset: 2))
            #expect(refused.status == .deadLettered)
            #expect(refused.deadLetterCode == .tenantMismatch)

            var otherBusiness = ResultSpec(leadID: original.leadID)
            otherBusiness.businessID = "biz-9"
            let refusedToo = try await applier.apply(otherBusiness.record(offset: 3))
            #expect(refusedToo.deadLetterCode == .businessMismatch)

            let lead = try #require(try await leadRow(client, original.leadID))
            #expect(lead.intent == "ORDER_REQUEST", "the refused result did not touch the lead")
            #expect(lead.tenant == "tenant-1")
            #expect(try await TestDatabase.count(client, "support_tickets") == 0)
            #expect(try await TestDatabase.count(client, "lead_activities") == 1)

            let queue = DeadLetterQueue(client: client, logger: TestDatabase.logger())
            let entries = try await queue.list(limit: 10)
            #expect(entries.map(\.errorCode).sorted() == ["BUSINESS_MISMATCH", "TENANT_MISMATCH"])
            let entry = try #require(entries.first { $0.errorCode == "TENANT_MISMATCH" })
            #expect(entry.eventID == otherTenant.eventID)
            #expect(entry.leadID == original.leadID)
            #expect(entry.offset == 2)
            #expect(entry.status == "failed")
            #expect(String(decoding: entry.payloadBytes, as: UTF8.self) == String(decoding: otherTenant.value(), as: UTF8.self))
            #expect(entry.error.contains("tenant_id"))

            // Redelivery of the refused event adds no second row.
            let again = try await applier.apply(otherTenant.record(offset: 2))
            #expect(again.status == .duplicate)
            #expect(try await TestDatabase.count(client, "dead_letter_queue") == 2)
        }
    }

    @Test func staleResultDoesNotOverwriteButIsRecorded() async throws {
        try await TestDatabase.withClient { client, _ in
            let applier = applier(client)
            var newer = ResultSpec()
            newer.timestamp = "2025-10-25T10:30:00Z"
            newer.intent = "ORDER_REQUEST"
            var older = ResultSpec(leadID: newer.leadID)
            older.timestamp = "2025-10-25T15:59:00+05:30"  // 10:29Z
            older.intent = "GREETING"
            older.leadScore = 10
            older.leadQuality = "cold"

            #expect(try await applier.apply(newer.record(offset: 1)).status == .applied)
            let stale = try await applier.apply(older.record(offset: 2))
            #expect(stale.status == .stale)

            let lead = try #require(try await leadRow(client, newer.leadID))
            #expect(lead.intent == "ORDER_REQUEST")
            #expect(lead.score == 86)
            #expect(lead.quality == "hot")
            #expect(try await TestDatabase.count(client, "lead_activities") == 2)
            #expect(try await TestDatabase.count(client, "lead_activities", where: "(metadata->>'stale')::boolean AND metadata->>'intent' = 'GREETING'") == 1)
            #expect(try await TestDatabase.count(client, "processed_messages", where: "outcome = 'stale'") == 1)

            // A result at the same time or later applies again.
            var later = ResultSpec(leadID: newer.leadID)
            later.timestamp = "2025-10-25T10:31:00Z"
            later.intent = "PAYMENT_INQUIRY"
            #expect(try await applier.apply(later.record(offset: 3)).status == .applied)
            #expect(try await leadRow(client, newer.leadID)?.intent == "PAYMENT_INQUIRY")
        }
    }

    @Test func perIntentFollowUpsAreCreated() async throws {
        try await TestDatabase.withClient { client, _ in
            let applier = applier(client)
            func spec(_ intent: String, confidence: Double = 0.95) -> ResultSpec {
                var spec = ResultSpec()
                spec.intent = intent
                spec.confidence = confidence
                return spec
            }
            var call = spec("SCHEDULE_CALL")
            call.dates = [("2025-10-26T17:00:00+05:30", "tomorrow at 5pm")]
            var complaint = spec("COMPLAINT")
            complaint.orderIDs = ["ORD-48213"]
            complaint.sentiment = "negative"
            let specs = [
                spec("ORDER_REQUEST"), complaint, spec("REFUND_REQUEST"), call, spec("BOOKING_REQUEST"),
                spec("HUMAN_AGENT"), spec("GREETING", confidence: 0.41), spec("THANKS"),
            ]
            let outcomes = try await applier.apply(specs.enumerated().map { $0.element.record(offset: Int64($0.offset)) })
            #expect(outcomes.map(\.status) == Array(repeating: .applied, count: specs.count))
            #expect(outcomes.map(\.followUps) == [
                ["order_draft", "sales_notification"], ["support_ticket"], ["support_ticket"], ["callback_task"],
                ["callback_task"], ["sales_notification"], ["review_flag"], [],
            ])
            #expect(try await TestDatabase.count(client, "order_drafts", where: "lead_id = '\(specs[0].leadID)' AND products = '[\"laptop\"]'") == 1)
            #expect(try await TestDatabase.count(client, "sales_notifications", where: "reason = 'order_request' AND priority = 'high'") == 1)
            #expect(try await TestDatabase.count(client, "sales_notifications", where: "reason = 'human_agent'") == 1)
            #expect(try await TestDatabase.count(client, "support_tickets", where: "category = 'complaint' AND priority = 'urgent' AND order_ids = '[\"ORD-48213\"]'") == 1)
            #expect(try await TestDatabase.count(client, "support_tickets", where: "category = 'refund'") == 1)
            #expect(try await TestDatabase.count(client, "callback_tasks", where: "kind = 'call' AND requested_time = '2025-10-26T11:30:00Z' AND requested_time_text = 'tomorrow at 5pm'") == 1)
            #expect(try await TestDatabase.count(client, "callback_tasks", where: "kind = 'booking' AND requested_time IS NULL") == 1)
            #expect(try await TestDatabase.count(client, "review_flags", where: "reason = 'low_confidence' AND intent = 'GREETING' AND confidence = 0.41") == 1)
            #expect(try await TestDatabase.count(client, "lead_activities", where: "metadata->'follow_ups' ? 'support_ticket'") == 2)
        }
    }

    @Test func batchWithADuplicateInsideAndAPoisonRecord() async throws {
        try await TestDatabase.withClient { client, _ in
            let first = ResultSpec()
            var second = ResultSpec(leadID: first.leadID)
            second.timestamp = "2025-10-25T10:40:00Z"
            second.intent = "COMPLAINT"
            let poison = InboundRecord(topic: "ai.process.result", partition: 0, offset: 3, key: nil, value: Array("{not json".utf8))
            var badField = ResultSpec()
            badField.leadQuality = "lukewarm"
            let batch = [
                first.record(offset: 0), second.record(offset: 1), first.record(offset: 2), poison,
                badField.record(offset: 4), ResultSpec().record(offset: 5),
            ]
            let outcomes = try await applier(client).apply(batch)
            #expect(outcomes.map(\.status) == [.applied, .applied, .duplicate, .deadLettered, .deadLettered, .applied])
            #expect(outcomes.map(\.offset) == [0, 1, 2, 3, 4, 5])
            #expect(outcomes[3].deadLetterCode == .invalidPayload)
            #expect(try await TestDatabase.count(client, "processed_messages") == 4)
            #expect(try await TestDatabase.count(client, "lead_activities") == 3)
            #expect(try await TestDatabase.count(client, "dead_letter_queue") == 2)
            #expect(try await TestDatabase.count(client, "dead_letter_queue", where: "event_id = '\(badField.eventID)' AND lead_id = '\(badField.leadID)'") == 1)
            #expect(try await leadRow(client, first.leadID)?.intent == "COMPLAINT")

            // The whole batch again: all duplicates, the poison record updates its dead-letter row.
            let again = try await applier(client).apply(batch)
            #expect(again.map(\.status) == [.duplicate, .duplicate, .duplicate, .deadLettered, .duplicate, .duplicate])
            #expect(try await TestDatabase.count(client, "dead_letter_queue") == 2)
            #expect(try await TestDatabase.count(client, "dead_letter_queue", where: "\"offset\" = 3 AND attempts = 2") == 1)
        }
    }

    @Test func permanentDatabaseErrorOfOneRecordIsIsolated() async throws {
        try await TestDatabase.withClient { client, _ in
            // A trigger that rejects one lead stands in for any permanent database error.
            try await client.query(
                """
                CREATE FUNCTION reject_lead() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.lead_id = 'rejected-lead' THEN RAISE EXCEPTION 'rejected' USING ERRCODE = '23514'; END IF;
                  RETURN NEW;
                END $$
                """
            )
            try await client.query("CREATE TRIGGER reject_lead BEFORE INSERT ON lead_activities FOR EACH ROW EXECUTE FUNCTION reject_lead()")
            let good = ResultSpec()
            let rejected = ResultSpec(leadID: "rejected-lead")
            let outcomes = try await applier(client).applyReliably([good.record(offset: 0), rejected.record(offset: 1)])
            #expect(outcomes.map(\.status) == [.applied, .deadLettered])
            #expect(outcomes[1].deadLetterCode == .database)
            #expect(try await TestDatabase.count(client, "leads", where: "lead_id = 'rejected-lead'") == 0, "its partial work was rolled back")
            #expect(try await TestDatabase.count(client, "order_drafts") == 1)
            let entry = try #require(try await DeadLetterQueue(client: client, logger: TestDatabase.logger()).list(limit: 1).first)
            #expect(entry.error.contains("SQLSTATE 23514"))
        }
    }

    @Test func aiErrorsBecomeActivitiesOrDeadLetters() async throws {
        try await TestDatabase.withClient { client, _ in
            let applier = applier(client)
            let known = ErrorSpec()
            let unknownBusiness = ErrorSpec(businessID: nil)
            let noLead = ErrorSpec(leadID: nil)
            let outcomes = try await applier.apply([known.record(offset: 0), unknownBusiness.record(offset: 1), noLead.record(offset: 2)])
            #expect(outcomes.map(\.status) == [.errorRecorded, .deadLettered, .deadLettered])
            #expect(outcomes[0].leadCreated)
            #expect(outcomes[1].deadLetterCode == .unroutableError)
            #expect(outcomes[2].deadLetterCode == .unroutableError)
            #expect(try await TestDatabase.count(client, "lead_activities", where: "activity_type = 'ai_error' AND metadata->>'error_code' = 'VALIDATION_FAILED' AND lead_id = '\(known.leadID ?? "")'") == 1)
            #expect(try await TestDatabase.count(client, "lead_activities", where: "metadata ? 'raw'") == 0, "raw customer bytes stay out of activities")

            // An ai.error for an existing lead without business id attaches to it.
            let existing = ErrorSpec(leadID: known.leadID, businessID: nil)
            #expect(try await applier.apply(existing.record(offset: 3)).status == .errorRecorded)
            #expect(try await applier.apply(known.record(offset: 0)).status == .duplicate)
            #expect(try await TestDatabase.count(client, "lead_activities", where: "activity_type = 'ai_error'") == 2)
        }
    }

    @Test func deadLettersCanBeListedFetchedAndReplayed() async throws {
        try await TestDatabase.withClient { client, _ in
            let applier = applier(client)
            let queue = DeadLetterQueue(client: client, logger: TestDatabase.logger())
            let lead = ResultSpec()
            _ = try await applier.apply(lead.record(offset: 0))
            var mismatched = ResultSpec(leadID: lead.leadID)
            mismatched.tenantID = "tenant-2"
            mismatched.timestamp = "2025-10-25T12:00:00Z"
            mismatched.intent = "HUMAN_AGENT"
            let refused = try await applier.apply(mismatched.record(offset: 1))
            let id = try #require(refused.deadLetterID)

            let fetched = try #require(try await queue.fetch(id: id))
            #expect(fetched.errorCode == "TENANT_MISMATCH")
            #expect(try await queue.fetch(id: id + 1000) == nil)

            // Replay while the data is still wrong: fails again, attempts grows, still failed.
            let retried = try await applier.replayDeadLetter(id: id)
            #expect(retried.status == .deadLettered)
            let afterRetry = try #require(try await queue.fetch(id: id))
            #expect(afterRetry.attempts == 2)
            #expect(afterRetry.status == "failed")

            // The operator fixes the lead's tenant; replay goes through and marks the entry.
            try await client.query("UPDATE leads SET tenant_id = 'tenant-2' WHERE lead_id = \(lead.leadID)")
            let replayed = try await applier.replayDeadLetter(id: id)
            #expect(replayed.status == .applied)
            #expect(replayed.followUps == ["sales_notification"])
            #expect(try await queue.fetch(id: id)?.status == "replayed")
            #expect(try await queue.list(limit: 10, status: "failed").isEmpty)
            #expect(try await leadRow(client, lead.leadID)?.intent == "HUMAN_AGENT")

            await #expect(throws: PersistenceError.self) { try await applier.replayDeadLetter(id: id + 1000) }

            // markReplayed / discard only move failed entries.
            let poison = try await applier.apply(InboundRecord(topic: "ai.error", partition: 1, offset: 9, key: nil, value: [0xff, 0xfe]))
            let poisonID = try #require(poison.deadLetterID)
            let poisonEntry = try #require(try await queue.fetch(id: poisonID))
            #expect(poisonEntry.payloadEncoding == "base64")
            #expect(poisonEntry.payloadBytes == [0xff, 0xfe])
            #expect(try await queue.markReplayed(id: poisonID))
            #expect(try await queue.markReplayed(id: poisonID) == false)
            #expect(try await queue.discard(id: poisonID) == false)
            #expect(try await queue.countByStatus() == ["replayed": 2])
        }
    }

    @Test func recordFromAnUnknownTopicIsDeadLettered() async throws {
        try await TestDatabase.withClient { client, _ in
            let outcome = try await applier(client).apply(ResultSpec().record(offset: 7, topic: "lead.message"))
            #expect(outcome.status == .deadLettered)
            #expect(outcome.deadLetterCode == .unexpectedTopic)
        }
    }

    @Test func configuredTopicNamesAreHonoured() async throws {
        try await TestDatabase.withClient { client, _ in
            let applier = ResultApplier(
                client: client, topics: InboundTopics(results: "prod.ai.results", errors: "prod.ai.errors"),
                retrier: TestDatabase.retrier(), logger: TestDatabase.logger()
            )
            let outcome = try await applier.apply(ResultSpec().record(offset: 7, topic: "prod.ai.results"))
            #expect(outcome.status == .applied)
        }
    }

    @Test func migrationsAppliedConcurrentlyAndTwice() async throws {
        let config = try TestDatabase.adminConfig().with(schema: TestDatabase.uniqueName("m"))
        try await TestDatabase.withClient(config: config, migrate: false) { client, config in
            let logger = TestDatabase.logger()
            // Two "replicas", each with its own pool, race on a schema that does not exist yet.
            try await TestDatabase.withClient(config: config, migrate: false) { otherClient, _ in
                async let first = Migrator(client: client, logger: logger).migrate()
                async let second = Migrator(client: otherClient, logger: logger).migrate()
                let applied = try await [first, second]
                let all = Migrations.all.map(\.version)
                #expect(applied.contains(all))
                #expect(applied.contains([]))
            }
            #expect(try await Migrator(client: client, logger: logger).migrate() == [])
            #expect(try await Migrator(client: client, logger: logger).appliedVersions() == Migrations.all.map(\.version))
            #expect(try await TestDatabase.count(client, "schema_migrations") == Migrations.all.count)
        }
    }
}
