import BackendWorkerKit
import Foundation
import Kafka
import Logging
import Persistence
import Pipeline
import PostgresNIO
import Testing

@testable import AIWorkerKit

/// Fixture events → ai-worker pipeline → backend-worker pipeline → PostgreSQL rows.
@Suite(.timeLimit(.minutes(3))) struct ChainTests {
    @Test func fixtureEventsEndUpAsRows() async throws {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            throw TestFailure("DATABASE_URL is not set: run the suite through scripts/test.sh, which starts PostgreSQL")
        }
        let schema = "chain_\(UUID().uuidString.prefix(8).lowercased())"
        var environment = ["DATABASE_URL": url, "KAFKA_CONSUMER_CONFIG": mockConsumerTuning]
        let broker = try topicsWithCluster()
        environment["KAFKA_BROKERS"] = broker.bootstrapServers
        var config = try BackendConfig.load(environment: environment)
        config.database = config.database.with(schema: schema)
        config.common.kafka.groupID = "backend-\(schema)"

        let fixtures = try Fixtures.loadTopics(directory: packageRoot.appendingPathComponent("Fixtures").path)
        try await produce(fixtures, to: broker)
        var aiConfig = config.common
        aiConfig.kafka.groupID = "ai-\(schema)"
        let aiPipeline = WorkerApp(config: aiConfig, logger: testLogger).makePipeline(bootstrap: broker.bootstrapServers, embedded: true)

        let app = BackendApp(config: config, logger: testLogger)
        let client = app.makeClient()
        let backend = app.makePipeline(bootstrap: broker.bootstrapServers, client: client, embedded: true)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            group.addTask { try await aiPipeline.run() }
            group.addTask {
                _ = try await app.migrate(client: client)
                try await backend.run()
            }
            let expected = fixtures.count - 2  // two valid outbound messages have no output
            let deadline = ContinuousClock.now + .seconds(90)
            while backend.appliedCount < expected, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(backend.appliedCount == expected)

            let processed = try await count(client, "SELECT count(*) FROM processed_messages")
            let activities = try await count(client, "SELECT count(*) FROM lead_activities WHERE activity_type = 'ai_processed'")
            let leads = try await count(client, "SELECT count(*) FROM leads WHERE intent_type IS NOT NULL")
            let orders = try await count(client, "SELECT count(*) FROM order_drafts")
            #expect(processed == expected)
            #expect(activities == aiPipeline.stats.results)
            #expect(leads >= 10)
            #expect(orders >= 1, "ORDER_REQUEST fixtures create order drafts")
            group.cancelAll()
        }
    }

    private func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: testLogger)
        for try await (value) in rows.decode(Int.self) { return value }
        return -1
    }
}

/// The backend-worker executable killed mid-stream and restarted: every result applied once.
@Suite(.timeLimit(.minutes(4))) struct BackendProcessTests {
    @Test func killedMidStreamAndRestartedAppliesEveryResultOnce() async throws {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
            throw TestFailure("DATABASE_URL is not set: run the suite through scripts/test.sh, which starts PostgreSQL")
        }
        let schema = "kill_\(UUID().uuidString.prefix(8).lowercased())"
        let broker = try topicsWithCluster()
        let count = 3_000
        try await produce((0..<count).map { messageEvent(id: "k-\($0)", lead: "lead-\($0 % 40)", text: "need \($0 % 9 + 1) chairs") }, to: broker)

        // ai-worker turns the messages into results first.
        var aiConfig = try WorkerConfig.load(environment: ["KAFKA_BROKERS": broker.bootstrapServers, "KAFKA_GROUP_ID": "ai-\(schema)"])
        aiConfig.kafka.consumerExtra = KafkaProperties.parse(list: mockConsumerTuning) ?? KafkaProperties()
        let aiPipeline = WorkerApp(config: aiConfig, logger: testLogger).makePipeline(bootstrap: broker.bootstrapServers, embedded: true)
        let running = Task { try await aiPipeline.run() }
        _ = try await awaitOutputs(broker) { $0.count >= count }
        running.cancel()
        try await running.value

        let separator = url.contains("?") ? "&" : "?"
        let environment = [
            "DATABASE_URL": url + separator + "search_path=\(schema)", "KAFKA_GROUP_ID": "backend-\(schema)", "BACKEND_BATCH_SIZE": "50",
            "KAFKA_CONSUMER_CONFIG": mockConsumerTuning + ",fetch.max.bytes=20000,max.partition.fetch.bytes=10000,message.max.bytes=10000,queued.max.messages.kbytes=16",
        ]
        var config = try BackendConfig.load(environment: environment.merging(["KAFKA_BROKERS": broker.bootstrapServers]) { $1 })
        config.database = config.database.with(schema: schema)
        let client = BackendApp(config: config, logger: testLogger).makeClient()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let first = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: environment, executable: "backend-worker")
            try await eventually(first) { try await rows(client, "processed_messages") >= 300 }
            first.signal(SIGKILL)
            _ = await first.waitForExit()
            let atKill = try await rows(client, "processed_messages")
            #expect(atKill < count, "the kill must land before the end of the stream")

            let second = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: environment, executable: "backend-worker")
            try await eventually(second) { try await rows(client, "processed_messages") >= count }
            second.signal(SIGTERM)
            #expect(await second.waitForExit() == 0, "\(second.log.suffix(1500))")
            #expect(try await rows(client, "processed_messages") == count)
            #expect(try await rows(client, "lead_activities") == count, "one activity per result, none doubled")
            #expect(try await rows(client, "dead_letter_queue") == 0)
            group.cancelAll()
        }
    }

    /// Polls `condition` under a deadline; fails early when `worker` exits.
    private func eventually(_ worker: WorkerProcess, timeout: Duration = .seconds(90), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            guard worker.process.isRunning else { throw TestFailure("backend-worker exited: \(worker.log.suffix(1500))") }
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out: \(worker.log.suffix(1500))") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func rows(_ client: PostgresClient, _ table: String) async throws -> Int {
        do {
            let result = try await client.query(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), logger: testLogger)
            for try await value in result.decode(Int.self) { return value }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
            return 0  // the worker has not created the schema yet
        }
        return 0
    }
}
