import Analysis
import Events
import Foundation
import Kafka
import Pipeline
import Synchronization
import Testing
import WorkerSupport

@testable import AIWorkerKit

/// The pipeline in this process against the embedded broker (real Kafka protocol).
@Suite(.timeLimit(.minutes(3))) struct PipelineIntegrationTests {
    func config(_ broker: EmbeddedKafka, group: String = "g-\(UUID().uuidString)") throws -> AIWorkerConfig {
        try AIWorkerConfig.load(environment: ["KAFKA_BROKERS": broker.bootstrapServers, "KAFKA_GROUP_ID": group, "KAFKA_CONSUMER_CONFIG": mockConsumerTuning])
    }

    @Test func everyEventGetsExactlyOneOutput() async throws {
        let broker = try topicsWithCluster()
        var records: [FixtureRecord] = []
        for index in 0..<300 {
            records.append(messageEvent(id: "ev-\(index)", lead: "lead-\(index % 17)", text: "need \(index % 5 + 1) laptops"))
        }
        records.append(FixtureRecord(id: "bad-json", topic: "lead.message", key: Array("lead-1".utf8), value: Array("{oops".utf8), headers: []))
        records.append(FixtureRecord(id: "null-key", topic: "lead.message", key: nil, value: Array("[]".utf8), headers: []))
        records.append(messageEvent(id: "outbound-1", lead: "lead-2", text: "our reply", direction: "outbound"))
        try await produce(records, to: broker)

        let app = AIWorkerAssembly(config: try config(broker), logger: testLogger)
        let pipeline = app.makePipeline(bootstrap: broker.bootstrapServers, embedded: true)
        let running = Task { try await pipeline.run() }
        let outputs = try await awaitOutputs(broker) { $0.count >= 302 }
        running.cancel()
        try await running.value

        let results = outputs.filter { $0.topic == "ai.process.result" }
        let errors = outputs.filter { $0.topic == "ai.error" }
        #expect(results.count == 300)
        #expect(Set(results.compactMap(\.sourceEventID)) == Set((0..<300).map { "ev-\($0)" }))
        for result in results {
            #expect(result.key == result.payload?["lead_id"]?.stringValue)
            #expect(result.headers.contains { $0.name == "source_event_id" && $0.value == Array((result.sourceEventID ?? "").utf8) })
            #expect(result.payload?["processing_time_ms"] != nil)
        }
        #expect(errors.count == 2)
        let invalid = errors.first { $0.payload?["error_code"] == .string("INVALID_JSON") }
        #expect(invalid?.key == "lead-1", "an unparsable event is keyed by its input key")
        #expect(invalid?.payload?["source_event_id"] == .null)
        #expect(!(invalid?.headers.contains { $0.name == "source_event_id" } ?? true))
        let nullKey = errors.first { $0.payload?["error_code"] == .string("VALIDATION_FAILED") }
        #expect(nullKey?.key == nil)
        #expect(pipeline.stats.skipped == 1)
        #expect(pipeline.stats.finished == 303)
    }

    @Test func leadOrderIsKeptAndASlowLeadDoesNotHoldOthersBack() async throws {
        let broker = try topicsWithCluster()
        var records: [FixtureRecord] = []
        for step in 0..<40 {
            records.append(messageEvent(id: "slow-\(step)", lead: "slow-lead", text: "step \(step)"))
            for other in 0..<5 { records.append(messageEvent(id: "fast-\(other)-\(step)", lead: "fast-\(other)", text: "step \(step)")) }
        }
        try await produce(records, to: broker)

        let gate = Gate()
        let app = AIWorkerAssembly(config: try config(broker), logger: testLogger)
        let processor = EventProcessor(
            topics: TopicNames(), decoder: EventDecoder(), analyzer: GatedAnalyzer(gate: gate, slowLead: "slow-lead", inner: app.makeProcessor().analyzer),
            rawMaxBytes: 4096
        )
        let pipeline = StreamPipeline(
            configuration: .init(
                consumer: app.config.kafka.consumerProperties(bootstrap: broker.bootstrapServers), producer: app.config.kafka.producerProperties(bootstrap: broker.bootstrapServers),
                topics: TopicNames(), settings: PipelineSettings()
            ),
            processor: processor, logger: testLogger
        )
        let running = Task { try await pipeline.run() }
        // While the slow lead's first event is held, every other lead finishes.
        let early = try await awaitOutputs(broker) { outputs in outputs.filter { $0.sourceEventID?.hasPrefix("fast-") == true }.count >= 200 }
        let slowEarly = early.filter { $0.sourceEventID?.hasPrefix("slow-") == true }
        #expect(slowEarly.isEmpty)
        gate.open()
        let outputs = try await awaitOutputs(broker) { $0.count >= 240 }
        running.cancel()
        try await running.value

        for lead in ["slow-lead"] + (0..<5).map({ "fast-\($0)" }) {
            let ids = outputs.filter { $0.key == lead }.compactMap(\.sourceEventID)
            let steps = ids.compactMap { Int($0.split(separator: "-").last!) }
            #expect(steps == Array(0..<40), "lead \(lead) out of order")
        }
    }

    @Test func replayMatchesGoldenFiles() async throws {
        var config = AIWorkerConfig()
        config.fixturesDirectory = packageRoot.appendingPathComponent("Fixtures").path
        config.kafka.groupID = "replay-\(UUID().uuidString)"
        let outcome = try await Replay(app: AIWorkerAssembly(config: config, logger: testLogger)).run(target: .embedded)
        #expect(outcome.mismatches.isEmpty, "\(outcome.mismatches.joined(separator: "\n"))")
        #expect(outcome.actual.values.map(\.count).reduce(0, +) >= 60)
    }
}

/// Holds every event of one lead until opened.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        waiters.forEach { $0.resume() }
    }
    func wait() async {
        await withCheckedContinuation { continuation in
            let isOpen = state.withLock { state in
                if !state.open { state.waiters.append(continuation) }
                return state.open
            }
            if isOpen { continuation.resume() }
        }
    }
}

struct GatedAnalyzer: EventAnalyzer {
    let gate: Gate
    let slowLead: String
    let inner: any EventAnalyzer
    func analyze(_ event: InputEvent) async throws -> AnalyzerOutcome {
        if event.leadID == slowLead { await gate.wait() }
        return try await inner.analyze(event)
    }
}
