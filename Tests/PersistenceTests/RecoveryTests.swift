import Foundation
import PostgresNIO
import Testing

@testable import Persistence

/// PostgreSQL stopped and restarted under a running applier: a private server per test (started
/// with scripts/pg-tempdb.sh) so the other suites keep theirs.
@Suite("ResultApplier across a PostgreSQL restart")
struct RecoveryTests {
    @Test(.timeLimit(.minutes(3)))
    func recoversFromARestartWithNoLossAndNoDuplicate() async throws {
        // The admin server must exist too: this suite is part of the same test command.
        _ = try TestDatabase.adminConfig()
        let server = try await TempServer.start()
        do {
            try await exercise(serverURL: server.url, directory: server.directory)
        } catch {
            _ = try? await TempServer.run(["stop", server.directory])
            throw error
        }
        _ = try await TempServer.run(["stop", server.directory])
    }

    @Test(.timeLimit(.minutes(3)))
    func migrationsWaitForADatabaseThatStartsLater() async throws {
        _ = try TestDatabase.adminConfig()
        let server = try await TempServer.start()
        do {
            _ = try await TempServer.run(["halt", server.directory])
            var config = try DatabaseConfig(url: server.url)
            config.connectTimeout = .seconds(2)
            try await TestDatabase.withClient(config: config, migrate: false) { client, _ in
                let migration = Task {
                    try await Migrator(client: client, logger: TestDatabase.logger()).migrate(retrying: TestDatabase.retrier())
                }
                // The worker is up before its database: start the database now.
                _ = try await TempServer.run(["resume", server.directory])
                #expect(try await migration.value == Migrations.all.map(\.version))
            }
        } catch {
            _ = try? await TempServer.run(["stop", server.directory])
            throw error
        }
        _ = try await TempServer.run(["stop", server.directory])
    }

    private func exercise(serverURL: String, directory: String) async throws {
        var config = try DatabaseConfig(url: serverURL)
        config.maximumConnections = 4
        config.connectTimeout = .seconds(2)

        let retries = Recorder<String>()
        try await TestDatabase.withClient(config: config) { client, config in
            let applier = ResultApplier(
                client: client,
                retrier: TestDatabase.retrier(onRetry: { _, error in retries.append(error.code.rawValue) }),
                logger: TestDatabase.logger()
            )
            // A lead that a second session will hold locked, so the batch is surely in flight.
            let blocked = ResultSpec()
            #expect(try await applier.apply(blocked.record(offset: 0)).status == .applied)

            let batch: [InboundRecord] = (1...40).map { index in
                var spec = index == 20 ? ResultSpec(leadID: blocked.leadID) : ResultSpec()
                spec.timestamp = "2025-10-25T11:00:00Z"
                spec.intent = index.isMultiple(of: 2) ? "COMPLAINT" : "ORDER_REQUEST"
                return spec.record(offset: Int64(index))
            }

            try await TestDatabase.withClient(config: config, migrate: false) { locker, _ in
                // Session 1 locks the lead and never lets go (the server's stop ends it).
                let (locked, lockedContinuation) = AsyncStream<Void>.makeStream()
                let holder = Task {
                    try? await locker.withConnection { connection in
                        let logger = TestDatabase.logger()
                        try await connection.query("BEGIN", logger: logger)
                        _ = try await connection.query("SELECT 1 FROM leads WHERE lead_id = \(blocked.leadID) FOR UPDATE", logger: logger).collect()
                        lockedContinuation.yield()
                        try await Task.sleep(for: .seconds(600))
                    }
                }
                for await _ in locked { break }
                let worker = Task { try await applier.applyReliably(batch) }

                // Readiness probe: the worker's transaction waits on the lock.
                try await eventually("the batch to wait on the locked lead") {
                    let rows = try await locker.query(
                        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                    for try await count in rows.decode(Int.self) { return count > 0 }
                    return false
                }

                _ = try await TempServer.run(["halt", directory])
                // Up to about a minute: a failure that reaches postgres-nio's pool as a new
                // connection request waits out the pool's fixed request timeout.
                try await eventually(timeout: .seconds(90), "the applier to notice the lost connection") { retries.count > 0 }
                _ = try await TempServer.run(["resume", directory])

                let outcomes = try await worker.value
                holder.cancel()
                #expect(outcomes.count == batch.count)
                #expect(outcomes.allSatisfy { $0.status == .applied }, "\(outcomes.map(\.status))")
            }
            #expect(retries.count > 0)
            #expect(retries.values.allSatisfy { $0 == PersistenceError.Code.connection.rawValue || $0 == PersistenceError.Code.unavailable.rawValue }, "\(retries.values)")

            // Exactly once: one processed row and one activity per event, follow-ups not doubled.
            #expect(try await TestDatabase.count(client, "processed_messages") == 41)
            #expect(try await TestDatabase.count(client, "lead_activities") == 41)
            #expect(try await TestDatabase.count(client, "support_tickets") == 20)
            #expect(try await TestDatabase.count(client, "order_drafts") == 21)
            #expect(try await TestDatabase.count(client, "dead_letter_queue") == 0)
            #expect(try await TestDatabase.count(client, "leads", where: "lead_id = '\(blocked.leadID)' AND intent_type = 'COMPLAINT'") == 1)

            // Redelivery of the whole batch (offsets were not committed before the crash): no change.
            let before = try await TestDatabase.snapshot(client)
            let again = try await applier.applyReliably(batch)
            #expect(again.allSatisfy { $0.status == .duplicate })
            #expect(try await TestDatabase.snapshot(client) == before)
        }
    }
}
