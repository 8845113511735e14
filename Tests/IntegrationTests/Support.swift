import Events
import Foundation
import Kafka
import Logging
import Synchronization
import Testing
import WorkerSupport

/// Settings every client needs on the mock cluster (see bench/perf/README.md).
let mockConsumerTuning = EmbeddedBroker.consumerTuningList

/// Quiet unless `TEST_LOG_LEVEL` is set (e.g. `debug`), then on standard error.
let testLogger: Logger = {
    guard let level = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) else {
        return Logger(label: "tests") { _ in SwiftLogNoOpLogHandler() }
    }
    var logger = Logger(label: "tests") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = level
    return logger
}()

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func topicsWithCluster() throws -> EmbeddedKafka {
    let broker = try EmbeddedKafka(brokers: 3)
    for topic in ["lead.created", "lead.message", "ai.process.request", "ai.process.result", "ai.error"] {
        try broker.createTopic(topic, partitions: 3)
    }
    return broker
}

/// A `lead.message` event.
func messageEvent(id: String, lead: String, text: String, business: String = "B1", direction: String = "inbound") -> FixtureRecord {
    let value = #"{"event_id":"\#(id)","event_type":"lead.message","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"\#(lead)","business_id":"\#(business)","message_text":"\#(text)","direction":"\#(direction)"}}"#
    return FixtureRecord(id: id, topic: "lead.message", key: Array(lead.utf8), value: Array(value.utf8), headers: [])
}

/// The committed offsets of `group` on `topic`, per partition (negative: none).
func committed(_ broker: EmbeddedKafka, group: String, topic: String = "lead.message") async throws -> [Int32: Int64] {
    let reader = try KafkaReader(bootstrapServers: broker.bootstrapServers, properties: KafkaProperties(["group.id": group]))
    return try await runBlocking { Result { try reader.committedOffsets(topic: topic) } }.get()
}

func produce(_ records: [FixtureRecord], to broker: EmbeddedKafka) async throws {
    _ = try await Fixtures.produce(records, bootstrap: broker.bootstrapServers, logger: testLogger)
}

/// A decoded output event.
struct Output {
    var topic: String
    var key: String?
    var document: JSONValue
    var payload: JSONValue? { document["payload"] }
    var sourceEventID: String? { payload?["source_event_id"]?.stringValue }
    var headers: [KafkaHeader]
}

/// Reads the output topics until `condition` holds or the deadline passes (a readiness probe).
/// Fails early when one of `watching` exits.
func awaitOutputs(
    _ broker: EmbeddedKafka, timeout: Duration = .seconds(60), watching: [WorkerProcess] = [],
    until condition: @escaping @Sendable ([Output]) -> Bool
) async throws -> [Output] {
    try await awaitOutputs(bootstrap: broker.bootstrapServers, timeout: timeout, watching: watching, until: condition)
}

func awaitOutputs(
    bootstrap: String, timeout: Duration = .seconds(60), watching: [WorkerProcess] = [],
    until condition: @escaping @Sendable ([Output]) -> Bool
) async throws -> [Output] {
    let reader = try KafkaReader(bootstrapServers: bootstrap)
    let deadline = ContinuousClock.now + timeout
    while true {
        let records = try await runBlocking { Result { try reader.readAll(topics: ["ai.process.result", "ai.error"]) } }.get()
        let outputs = records.map { record in
            Output(
                topic: record.topic, key: record.key.map { String(decoding: $0, as: UTF8.self) },
                document: (try? JSONParser.parse(record.value ?? [])) ?? .null, headers: record.headers
            )
        }
        if condition(outputs) { return outputs }
        if let exited = watching.first(where: { !$0.process.isRunning }) {
            Issue.record("worker exited early with \(exited.process.terminationStatus): \(exited.log.suffix(1500))")
            return outputs
        }
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out with \(outputs.count) outputs")
            return outputs
        }
        try await Task.sleep(for: .milliseconds(200))
    }
}

/// The ai-worker or backend-worker executable as a child process; standard output and
/// standard error are kept apart (`output`, `log`).
// Used by one test task at a time; Process itself is thread-safe for these calls.
final class WorkerProcess: @unchecked Sendable {
    let process: Process
    let logFile: URL
    let outputFile: URL

    /// `executable` is `ai-worker` or `backend-worker`, found beside `AI_WORKER_BIN`; nil
    /// `brokers` leaves `KAFKA_BROKERS` unset.
    init(brokers: String?, extraEnvironment: [String: String] = [:], executable: String = "ai-worker", arguments: [String] = []) throws {
        let aiWorker = ProcessInfo.processInfo.environment["AI_WORKER_BIN"]
            ?? packageRoot.appendingPathComponent(".build/debug/ai-worker").path
        let binary = URL(fileURLWithPath: aiWorker).deletingLastPathComponent().appendingPathComponent(executable).path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw TestFailure("\(executable) binary not found at \(binary): run `swift build` first (scripts/test.sh does)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["KAFKA_BROKERS"] = brokers
        environment["KAFKA_CONSUMER_CONFIG"] = mockConsumerTuning
        environment["LOG_FORMAT"] = "json"
        environment["LOG_LEVEL"] = "info"
        environment["HTTP_PORT"] = "0"
        environment["FIXTURES_DIR"] = packageRoot.appendingPathComponent("Fixtures").path
        // The pipeline's behaviour is under test here, not the ml tier's (its own tests run it).
        environment["ML_TIER"] = "off"
        environment.merge(extraEnvironment) { $1 }
        process.environment = environment
        let name = "\(executable)-\(UUID().uuidString)"
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).log")
        outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(name).out")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: outputFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: logFile)
        process.standardOutput = try FileHandle(forWritingTo: outputFile)
        try process.run()
        self.process = process
    }

    /// Standard error (the log stream).
    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }
    /// Standard output.
    var output: String { (try? String(contentsOf: outputFile, encoding: .utf8)) ?? "" }

    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for exit under a deadline; returns the exit status (nil on timeout, then kills).
    func waitForExit(timeout: Duration = .seconds(30)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                signal(SIGKILL)
                return nil
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: logFile)
        try? FileManager.default.removeItem(at: outputFile)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
