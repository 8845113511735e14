import Events
import Foundation
import PostgresNIO
import Testing

@testable import Persistence

/// Issue 10 §3 and the tenant rules: idempotency on the source event, and who may touch a lead.
@Suite("Source identity and lead ownership")
struct SourceIdentityTests {
    private func applier(_ client: PostgresClient) -> ResultApplier {
        ResultApplier(client: client, retrier: TestDatabase.retrier(), logger: TestDatabase.logger())
    }

    // A result's event id used to be random per processing: reprocessing the same input
    // created a second activity, order draft, notification…
    @Test func aReprocessedInputChangesNothingWhateverItsOutputEventID() async throws {
        try await TestDatabase.withClient { (client: PostgresClient, _: DatabaseConfig) async throws in
            let applier = applier(client)
            let first = ResultSpec()
            var again = first
            again.eventID = UUID().uuidString.lowercased()  // an older ai-worker: a new id per processing
            #expect(try await applier.apply(first.record(offset: 0)).status == .applied)
            #expect(try await applier.apply(again.record(offset: 7)).status == .duplicate)
            var inOneBatch = ResultSpec()
            inOneBatch.sourceEventID = first.sourceEventID
            inOneBatch.leadID = first.leadID
            let batch = try await applier.apply([again.record(offset: 8), inOneBatch.record(offset: 9)])
            #expect(batch.map(\.status) == [.duplicate, .duplicate])
            #expect(try await TestDatabase.count(client, "processed_messages") == 1)
            #expect(try await TestDatabase.count(client, "lead_activities") == 1)
            #expect(try await TestDatabase.count(client, "order_drafts") == 1)
        }
    }

    @Test func aReprocessedFailureIsRecordedOnce() async throws {
        try await TestDatabase.withClient { (client: PostgresClient, _: DatabaseConfig) async throws in
            let applier = applier(client)
            let unparsable = ErrorSpec()
            var again = unparsable
            again.eventID = UUID().uuidString.lowercased()
            #expect(try await applier.apply(unparsable.record(offset: 0)).status == .errorRecorded)
            #expect(try await applier.apply(again.record(offset: 1)).status == .duplicate)
            #expect(try await TestDatabase.count(client, "lead_activities", where: "activity_type = 'ai_error'") == 1)
        }
    }

    @Test func aResultWithoutTheLeadsTenantIsDeadLettered() async throws {
        try await TestDatabase.withClient { (client: PostgresClient, _: DatabaseConfig) async throws in
            let applier = applier(client)
            let lead = ResultSpec()
            _ = try await applier.apply(lead.record(offset: 0))
            var anonymous = ResultSpec(leadID: lead.leadID)
            anonymous.tenantID = nil
            anonymous.timestamp = "2025-10-25T12:00:00Z"
            let outcome = try await applier.apply(anonymous.record(offset: 1))
            #expect(outcome.status == .deadLettered)
            #expect(outcome.deadLetterCode == .tenantMismatch)
        }
    }

    @Test func aLeadNeverAdoptsATenant() async throws {
        try await TestDatabase.withClient { (client: PostgresClient, _: DatabaseConfig) async throws in
            let applier = applier(client)
            var untenanted = ResultSpec()
            untenanted.tenantID = nil
            _ = try await applier.apply(untenanted.record(offset: 0))
            var tenanted = ResultSpec(leadID: untenanted.leadID)
            tenanted.tenantID = "tenant-9"
            tenanted.timestamp = "2025-10-25T12:00:00Z"
            let outcome = try await applier.apply(tenanted.record(offset: 1))
            #expect(outcome.status == .deadLettered)
            #expect(outcome.deadLetterCode == .tenantMismatch)
            #expect(try await TestDatabase.count(client, "leads", where: "tenant_id IS NULL") == 1)
        }
    }

    // The upsert locked the lead whatever its business: a foreign result waited on (and could
    // hold up) another business's lead.
    @Test func aResultOfAnotherBusinessNeitherCreatesNorLocksTheLead() async throws {
        try await TestDatabase.withClient { (client: PostgresClient, _: DatabaseConfig) async throws in
            let applier = applier(client)
            let lead = ResultSpec()
            _ = try await applier.apply(lead.record(offset: 0))
            var foreign = ResultSpec(leadID: lead.leadID)
            foreign.businessID = "biz-other"
            foreign.timestamp = "2025-10-25T12:00:00Z"
            let record = foreign.record(offset: 1)
            try await client.withConnection { holder in
                try await holder.query("BEGIN", logger: TestDatabase.logger())
                try await holder.query("SELECT 1 FROM leads WHERE lead_id = \(lead.leadID) FOR UPDATE", logger: TestDatabase.logger())
                let outcome = try await withThrowingTaskGroup(of: ApplyOutcome?.self) { group in
                    group.addTask { try await applier.apply(record) }
                    group.addTask {
                        try await Task.sleep(for: .seconds(5))  // a bound on the wait, not a synchronization
                        return nil
                    }
                    let first = try await group.next() ?? nil
                    // Releases an apply still waiting on the lock, so that the group can end.
                    try await holder.query("ROLLBACK", logger: TestDatabase.logger())
                    group.cancelAll()
                    return first
                }
                #expect(outcome?.status == .deadLettered, "the foreign result waited on the lead's lock")
                #expect(outcome?.deadLetterCode == .businessMismatch)
            }
            #expect(try await TestDatabase.count(client, "leads") == 1)
        }
    }
}
