import BackendWorkerKit
import Foundation
import Kafka
import Persistence
import PostgresNIO
import Testing
import WorkerSupport

/// Exactly once in effect across both daemons (issue 10): ai-worker SIGKILLed repeatedly and
/// restarted while backend-worker applies its outputs to PostgreSQL. Kafka sees duplicates;
/// the database must not.
@Suite(.timeLimit(.minutes(5))) struct ExactlyOnceTests {
    static let texts = [
        "need 3 office chairs, deliver tomorrow to Andheri", "the mixer arrived broken, worst service ever",
        "please call me back at 5pm on 9876543210", "how much is the blue kurti in size M?", "hi there",
        "cancel my order ORD-48213", "book a haircut for saturday 4pm", "I want to talk to a human",
    ]

    @Test func killingAIWorkerRepeatedlyChangesNothingInTheDatabase() async throws {
        let url = try databaseURL()
        let run = UUID().uuidString.prefix(8).lowercased()
        let broker = try topicsWithCluster()
        let count = 1_200
        let inputs = (0..<count).map { messageEvent(id: "x-\(run)-\($0)", lead: "lead-\($0 % 60)", text: Self.texts[$0 % Self.texts.count]) }
        try await produce(inputs, to: broker)

        // Offsets are auto-committed only once a minute, so every SIGKILL leaves processed but
        // uncommitted inputs behind: each replica processes again what the last one had done.
        let environment = [
            "KAFKA_GROUP_ID": "ai-\(run)", "MAX_IN_FLIGHT": "64", "KAFKA_CONSUMER_CONFIG": mockConsumerTuning + ",auto.commit.interval.ms=60000",
        ]
        var killed = 0
        var aiWorker = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: environment)
        var outputsBefore = 0
        for _ in 1...3 {
            // Killed once this replica has published 150 outputs of its own.
            let before = outputsBefore
            _ = try await awaitOutputs(broker, watching: [aiWorker]) { $0.count >= before + 150 }
            aiWorker.signal(SIGKILL)
            _ = await aiWorker.waitForExit()
            killed += 1
            outputsBefore = try await awaitOutputs(broker) { _ in true }.count
            aiWorker = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: environment)
        }
        // The last replica must process again everything past the group's committed offsets: one
        // output each (outputs come back partition by partition, so count, not position, tells).
        let group = "ai-\(run)"
        let redo = try await count - Self.committedInputs(broker, group: group)
        let outputs = try await awaitOutputs(broker, timeout: .seconds(120), watching: [aiWorker]) { [outputsBefore] outputs in
            Set(outputs.compactMap(\.sourceEventID)).count >= count
                && outputs.count >= outputsBefore + redo
        }
        aiWorker.signal(SIGTERM)
        #expect(await aiWorker.waitForExit() == 0)
        #expect(try await Self.committedInputs(broker, group: group) == count, "the drained replica committed every input")
        let eventIDs = outputs.compactMap { $0.document["event_id"]?.stringValue }
        #expect(killed == 3)
        #expect(outputs.count > count, "the kills made ai-worker process some inputs twice (else this test proves nothing)")
        #expect(Set(eventIDs).count == count, "one event id per input however often it was processed (\(outputs.count) outputs)")

        let config = try BackendConfig.load(environment: ["DATABASE_URL": url])
        let client = config.database.with(schema: "eo_\(run)").makeClient(logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let backend = try WorkerProcess(
                brokers: broker.bootstrapServers,
                extraEnvironment: ["DATABASE_URL": url.withSearchPath("eo_\(run)"), "KAFKA_GROUP_ID": "backend-\(run)"],
                executable: "backend-worker"
            )
            let deadline = ContinuousClock.now + .seconds(120)
            while try await Self.rows(client, "processed_messages") < count {
                guard backend.process.isRunning, ContinuousClock.now < deadline else {
                    throw TestFailure("backend-worker did not apply every input: \(backend.log.suffix(1500))")
                }
                try await Task.sleep(for: .milliseconds(200))
            }
            backend.signal(SIGTERM)
            #expect(await backend.waitForExit() == 0, "\(backend.log.suffix(1500))")
            #expect(try await Self.rows(client, "processed_messages") == count)
            #expect(try await Self.rows(client, "lead_activities") == count, "one activity per input")
            #expect(try await Self.rows(client, "dead_letter_queue") == 0)
            // Follow-ups: one per input that asks for one, never two (unique keys rest on the source event).
            let firstOutputs = Dictionary(outputs.compactMap { output in output.sourceEventID.map { ($0, output) } }, uniquingKeysWith: { first, _ in first })
            let intents = firstOutputs.values.compactMap { $0.payload?["intent"]?["intent"]?.stringValue }
            #expect(intents.count == count)
            for table in ["order_drafts", "support_tickets", "callback_tasks"] {
                let total = try await Self.rows(client, table)
                let distinct = try await IntegrationTests.count(client, "SELECT count(DISTINCT source_event_id) FROM \(table)")
                #expect(total == distinct, "\(table): no follow-up created twice")
                #expect(total > 0 && total < count, "\(table): \(total) rows")
            }
            group.cancelAll()
        }
    }

    /// Inputs below the group's committed offsets on `lead.message`.
    static func committedInputs(_ broker: EmbeddedKafka, group: String) async throws -> Int {
        try await committed(broker, group: group).values.reduce(0) { $0 + Int(max($1, 0)) }
    }

    static func rows(_ client: PostgresClient, _ table: String) async throws -> Int {
        try await IntegrationTests.count(client, "SELECT count(*) FROM \(table)")
    }
}
