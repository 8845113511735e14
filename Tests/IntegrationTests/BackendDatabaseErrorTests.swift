import Foundation
import Testing
import WorkerSupport

/// Issue 11: backend-worker's database errors (`DB_CONNECTION: no database connection
/// available`) named neither the server nor the cause.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BackendDatabaseErrorTests {
    @Test func refusedDatabaseAtStartUpIsNamedWithItsCause() async throws {
        let broker = try topicsWithCluster()
        let closedPort = try freeTCPPort()
        let password = "pw-\(UUID().uuidString.prefix(8))"
        let worker = try WorkerProcess(
            brokers: broker.bootstrapServers,
            extraEnvironment: ["DATABASE_URL": "postgres://leads:\(password)@127.0.0.1:\(closedPort)/leads", "KAFKA_GROUP_ID": "g-\(UUID().uuidString)"],
            executable: "backend-worker"
        )
        let failure = try await poll("a database error from the start-up migrations", timeout: .seconds(90), watching: worker) {
            worker.log.split(separator: "\n").first { $0.contains("Database operation failed") }.map(String.init)
        }
        worker.signal(SIGTERM)
        let status = await worker.waitForExit()
        #expect(status == 0, "exit \(status.map(String.init) ?? "none within 30 s"): \(worker.log.suffix(2000))")
        let line = try #require(failure)
        #expect(line.contains("DB_CONNECTION: cannot connect: connection refused (database 127.0.0.1:\(closedPort)/leads)"), "\(line)")
        #expect(!worker.log.contains(password), "the password is logged")
    }

    @Test func lostDatabaseWhileApplyingIsNamedWithItsCause() async throws {
        let database = try await PrivatePostgres.start()
        let broker = try topicsWithCluster()
        let worker = try WorkerProcess(
            brokers: broker.bootstrapServers, extraEnvironment: ["DATABASE_URL": database.url, "KAFKA_GROUP_ID": "g-\(UUID().uuidString)"],
            executable: "backend-worker"
        )
        _ = try await poll("the consumer joined", watching: worker) { worker.log.contains("Partitions assigned") ? true : nil }
        try await database.halt()
        let unroutable = #"{"event_id":"e-1","event_type":"ai.error","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":null,"source_topic":"lead.message","source_partition":0,"source_offset":1,"error_code":"INVALID_JSON","error_message":"x","retryable":false,"attempts":1}}"#
        try await produce([FixtureRecord(id: "e-1", topic: "ai.error", key: nil, value: Array(unroutable.utf8))], to: broker)
        let failure = try await poll("a database error from the applier", timeout: .seconds(90), watching: worker) {
            worker.log.split(separator: "\n").first { $0.contains("Database operation failed") }.map(String.init)
        }
        worker.signal(SIGTERM)
        _ = await worker.waitForExit()
        await database.remove()
        let line = try #require(failure)
        let endpoint = try #require(database.url.split(separator: "@").last?.split(separator: "?").first)
        #expect(line.contains("(database \(endpoint))"), "\(line)")
        #expect(["connection refused", "connection lost"].contains { line.contains($0) }, "\(line)")
    }
}
