import BackendWorkerKit
import Foundation
import Kafka
import Logging
import Persistence
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
