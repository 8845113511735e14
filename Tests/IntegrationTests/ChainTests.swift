import AIWorkerKit
import BackendWorkerKit
import Foundation
import Kafka
import Persistence
import PostgresNIO
import Testing
import WorkerSupport

/// The whole chain as run-chain.sh runs it, three real processes: `ai-worker broker
/// --load-fixtures` → `ai-worker` → `backend-worker` → PostgreSQL rows.
@Suite(.timeLimit(.minutes(3))) struct ChainTests {
    @Test func fixtureEventsEndUpAsRows() async throws {
        let url = try databaseURL()
        let schema = "chain_\(UUID().uuidString.prefix(8).lowercased())"
        let broker = try WorkerProcess(brokers: nil, arguments: ["broker", "--load-fixtures"])
        let bootstrap = try #require(try await poll("the broker's address", watching: broker) { broker.announcedBrokers })
        let aiWorker = try WorkerProcess(brokers: bootstrap, extraEnvironment: ["KAFKA_GROUP_ID": "ai-\(schema)"])
        // ai-worker's own variables, wrong here, must not concern backend-worker.
        let backend = try WorkerProcess(
            brokers: bootstrap, extraEnvironment: ["DATABASE_URL": url.withSearchPath(schema), "KAFKA_GROUP_ID": "backend-\(schema)", "LLM_PRICES": "garbage", "REDIS_URL": "http://nope"],
            executable: "backend-worker"
        )
        let config = try BackendConfig.load(environment: ["DATABASE_URL": url])
        var database = config.database.with(schema: schema)
        database.applicationName = "chain-test"
        let client = database.makeClient(logger: testLogger)
        let fixtures = try Fixtures.loadTopics(directory: packageRoot.appendingPathComponent("Fixtures").path)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let expected = fixtures.count - 2  // two valid outbound messages have no output
            let outputs = try await awaitOutputs(bootstrap: bootstrap, watching: [broker, aiWorker]) { $0.count >= expected }
            _ = try await poll("\(expected) processed rows", timeout: .seconds(90), watching: backend) {
                try await count(client, "SELECT count(*) FROM processed_messages") >= expected ? true : nil
            }
            let processed = try await count(client, "SELECT count(*) FROM processed_messages")
            let activities = try await count(client, "SELECT count(*) FROM lead_activities WHERE activity_type = 'ai_processed'")
            let leads = try await count(client, "SELECT count(*) FROM leads WHERE intent_type IS NOT NULL")
            let orders = try await count(client, "SELECT count(*) FROM order_drafts")
            #expect(processed == expected)
            #expect(activities == outputs.filter { $0.topic == "ai.process.result" }.count)
            #expect(leads >= 10)
            #expect(orders >= 1, "ORDER_REQUEST fixtures create order drafts")
            for worker in [backend, aiWorker, broker] {
                worker.signal(SIGTERM)
                #expect(await worker.waitForExit() == 0, "\(worker.log.suffix(1500))")
            }
            group.cancelAll()
        }
    }

    @Test func backendWithoutBrokersSaysHowToStartOne() async throws {
        let backend = try WorkerProcess(brokers: nil, extraEnvironment: ["DATABASE_URL": try databaseURL()], executable: "backend-worker")
        #expect(await backend.waitForExit() == 2)
        #expect(backend.log.contains("KAFKA_BROKERS"))
        #expect(backend.log.contains("ai-worker broker --load-fixtures"))
    }
}

func databaseURL() throws -> String {
    guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
        throw TestFailure("DATABASE_URL is not set: run the suite through scripts/test.sh, which starts PostgreSQL")
    }
    return url
}

func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
    do {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: testLogger)
        for try await value in rows.decode(Int.self) { return value }
    } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
        return 0  // the worker has not created the schema yet
    }
    return 0
}

extension String {
    /// This PostgreSQL URL with `search_path=schema`.
    func withSearchPath(_ schema: String) -> String { self + (contains("?") ? "&" : "?") + "search_path=\(schema)" }
}

extension WorkerProcess {
    /// The `KAFKA_BROKERS=…` line `ai-worker broker` prints once the broker is up.
    var announcedBrokers: String? {
        output.split(separator: "\n").first { $0.hasPrefix("KAFKA_BROKERS=") }.map { String($0.dropFirst("KAFKA_BROKERS=".count)) }
    }
}

/// The backend-worker executable killed mid-stream and restarted: every result applied once.
@Suite(.timeLimit(.minutes(6))) struct BackendProcessTests {
    @Test func killedMidStreamAndRestartedAppliesEveryResultOnce() async throws {
        let url = try databaseURL()
        let schema = "kill_\(UUID().uuidString.prefix(8).lowercased())"
        let broker = try topicsWithCluster()
        let count = 3_000
        try await produce((0..<count).map { messageEvent(id: "k-\($0)", lead: "lead-\($0 % 40)", text: "need \($0 % 9 + 1) chairs") }, to: broker)

        // ai-worker turns the messages into results first.
        var aiConfig = try AIWorkerConfig.load(environment: ["KAFKA_BROKERS": broker.bootstrapServers, "KAFKA_GROUP_ID": "ai-\(schema)"])
        aiConfig.kafka.consumerExtra = KafkaProperties.parse(list: mockConsumerTuning) ?? KafkaProperties()
        let aiPipeline = AIWorkerAssembly(config: aiConfig, logger: testLogger).makePipeline(bootstrap: broker.bootstrapServers, embedded: true)
        let running = Task { try await aiPipeline.run() }
        // The pipeline's own count: reading and parsing 3,000 outputs five times a second would
        // compete for the CPU with the debug build doing the work.
        let answered = try await poll("ai-worker answers all \(count) messages", timeout: .seconds(150), every: .milliseconds(500)) {
            aiPipeline.stats.finished >= count ? true : nil
        }
        #expect(answered == true, "\(aiPipeline.stats)")
        running.cancel()
        try await running.value

        let environment = [
            "DATABASE_URL": url.withSearchPath(schema), "KAFKA_GROUP_ID": "backend-\(schema)", "BACKEND_BATCH_SIZE": "50",
            "KAFKA_CONSUMER_CONFIG": mockConsumerTuning + ",fetch.max.bytes=20000,max.partition.fetch.bytes=10000,message.max.bytes=10000,queued.max.messages.kbytes=16",
        ]
        let config = try BackendConfig.load(environment: ["DATABASE_URL": url])
        let client = config.database.with(schema: schema).makeClient(logger: testLogger)
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
        try await count(client, "SELECT count(*) FROM \(table)")
    }
}
