import Foundation
import Kafka
import Testing
import WorkerSupport

@testable import AIWorkerKit

/// The ai-worker executable as operators run it: signals, crashes, replicas.
@Suite(.timeLimit(.minutes(4))) struct ProcessTests {
    func events(_ count: Int, prefix: String) -> [FixtureRecord] {
        (0..<count).map { messageEvent(id: "\(prefix)-\($0)", lead: "lead-\($0 % 50)", text: "price of \($0 % 7 + 1) chairs?") }
    }

    @Test func sigtermDrainsCommitsAndExitsZero() async throws {
        let broker = try topicsWithCluster()
        let group = "g-\(UUID().uuidString)"
        try await produce(events(500, prefix: "a"), to: broker)
        let worker = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: ["KAFKA_GROUP_ID": group])
        _ = try await awaitOutputs(broker, watching: [worker]) { $0.count >= 500 }
        worker.signal(SIGTERM)
        let status = await worker.waitForExit()
        #expect(status == 0, "\(worker.log.suffix(2000))")
        #expect(worker.log.contains("Pipeline stopped"))

        // A restarted member of the same group starts after the committed offsets: no repeats.
        try await produce(events(10, prefix: "b"), to: broker)
        let second = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: ["KAFKA_GROUP_ID": group])
        let outputs = try await awaitOutputs(broker) { $0.count >= 510 }
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)
        #expect(outputs.count == 510, "events answered twice after a clean restart")
    }

    @Test func sigkillMidStreamLosesNothing() async throws {
        let broker = try topicsWithCluster()
        let group = "g-\(UUID().uuidString)"
        let inputs = events(20_000, prefix: "k")
        try await produce(inputs, to: broker)
        // Small fetches slow the first worker down so that the kill lands mid-stream.
        let slowFetch = mockConsumerTuning + ",message.max.bytes=1000,fetch.max.bytes=1500,max.partition.fetch.bytes=1000,queued.max.messages.kbytes=1"
        let first = try WorkerProcess(
            brokers: broker.bootstrapServers, extraEnvironment: ["KAFKA_GROUP_ID": group, "KAFKA_CONSUMER_CONFIG": slowFetch]
        )
        _ = try await awaitOutputs(broker, watching: [first]) { $0.count >= 1_000 }
        first.signal(SIGKILL)
        _ = await first.waitForExit()
        let beforeRestart = try await awaitOutputs(broker) { _ in true }
        #expect(Set(beforeRestart.compactMap(\.sourceEventID)).count < inputs.count, "the kill must land before the end of the stream")
        let second = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: ["KAFKA_GROUP_ID": group])
        let outputs = try await awaitOutputs(broker, timeout: .seconds(120), watching: [second]) { outputs in
            Set(outputs.compactMap(\.sourceEventID)).count >= 20_000
        }
        second.signal(SIGTERM)
        #expect(await second.waitForExit() == 0)
        let answered = Set(outputs.compactMap(\.sourceEventID))
        #expect(answered == Set(inputs.map(\.id)), "missing: \(Set(inputs.map(\.id)).subtracting(answered).count)")
    }

    @Test func twoReplicasSplitThePartitionsAndAnswerEverything() async throws {
        let broker = try topicsWithCluster()
        let group = "g-\(UUID().uuidString)"
        let one = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: ["KAFKA_GROUP_ID": group, "KAFKA_CLIENT_ID": "one"])
        let two = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: ["KAFKA_GROUP_ID": group, "KAFKA_CLIENT_ID": "two"])
        let inputs = events(3_000, prefix: "r")
        try await produce(inputs, to: broker)
        let outputs = try await awaitOutputs(broker, timeout: .seconds(90), watching: [one, two]) { outputs in
            Set(outputs.compactMap(\.sourceEventID)).count >= 3_000
        }
        #expect(Set(outputs.compactMap(\.sourceEventID)) == Set(inputs.map(\.id)))
        one.signal(SIGTERM)
        two.signal(SIGTERM)
        #expect(await one.waitForExit() == 0)
        #expect(await two.waitForExit() == 0)
        let assignedOne = one.log.split(separator: "\n").filter { $0.contains("Partitions assigned") && $0.contains("lead.") }
        let assignedTwo = two.log.split(separator: "\n").filter { $0.contains("Partitions assigned") && $0.contains("lead.") }
        #expect(!assignedOne.isEmpty && !assignedTwo.isEmpty, "both replicas got partitions")
    }

    @Test func malformedFixturesYieldErrorsAndTheWorkerStaysUp() async throws {
        let broker = try topicsWithCluster()
        let fixtures = try Fixtures.loadTopics(directory: packageRoot.appendingPathComponent("Fixtures").path)
        try await produce(fixtures, to: broker)
        let worker = try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: ["KAFKA_GROUP_ID": "g-\(UUID().uuidString)"])
        let expectedOutputs = fixtures.count - 2
        let outputs = try await awaitOutputs(broker, watching: [worker]) { $0.count >= expectedOutputs }
        #expect(worker.process.isRunning)
        #expect(outputs.filter { $0.topic == "ai.error" }.count >= 15)
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
    }

    @Test func badConfigurationStopsStartupWithTheVariableName() async throws {
        let worker = try WorkerProcess(brokers: "127.0.0.1:1", extraEnvironment: ["MAX_IN_FLIGHT": "lots"])
        #expect(await worker.waitForExit() == 2)
        #expect(worker.log.contains("MAX_IN_FLIGHT"))
        #expect(worker.log.contains("expected an integer"))
    }
}
