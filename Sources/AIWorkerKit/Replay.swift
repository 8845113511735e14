import Events
import Foundation
import Kafka
import Pipeline
import WorkerSupport

/// Replays the fixture topics through the pipeline and compares every output with the golden
/// files `Fixtures/expected/<topic>.jsonl` (one line per fixture record, in fixture order).
public struct Replay: Sendable {
    public let app: AIWorkerAssembly

    public init(app: AIWorkerAssembly) { self.app = app }

    public struct Outcome: Sendable {
        /// Golden file name → its lines as they are now.
        public var actual: [String: [String]]
        public var mismatches: [String]
    }

    /// Replays into `target`: a cluster, or an embedded broker started for the run.
    public func run(target: AIWorkerConfig.KafkaTarget, timeout: Duration = .seconds(120)) async throws -> Outcome {
        let config = app.config
        let broker: EmbeddedKafka?
        let bootstrap: String
        switch target {
        case .cluster(let servers):
            broker = nil
            bootstrap = servers
        case .embedded:
            let embedded = try app.startEmbeddedBroker()
            broker = embedded
            bootstrap = embedded.bootstrapServers
        }
        defer { withExtendedLifetime(broker) {} }
        let records = try Fixtures.loadTopics(directory: config.fixturesDirectory)
        let reports = try await app.produce(records, bootstrap: bootstrap)
        app.logger.info("Fixtures produced", metadata: ["records": "\(records.count)"])

        let pipeline = app.makePipeline(bootstrap: bootstrap, embedded: broker != nil)
        let running = Task { try await pipeline.run() }
        let deadline = ContinuousClock.now + timeout
        while pipeline.stats.finished < records.count {
            guard ContinuousClock.now < deadline else {
                running.cancel()
                throw ReplayError(message: "timed out: \(pipeline.stats.finished) of \(records.count) events finished")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        running.cancel()
        try await running.value

        let topics = config.topics
        let outputs = try await runBlocking {
            Result { try KafkaReader(bootstrapServers: bootstrap, logger: app.logger).readAll(topics: [topics.result, topics.error]) }
        }.get()

        var sourceByPosition: [String: Int] = [:]
        var sourceByEvent: [String: Int] = [:]
        for (index, report) in reports.enumerated() {
            sourceByPosition["\(report.topic)/\(report.partition)/\(report.offset)"] = index
            if let value = records[index].value, let eventID = (try? JSONParser.parse(value))?["event_id"]?.stringValue {
                sourceByEvent["\(records[index].topic)/\(eventID)"] = index
            }
        }
        var perRecord = Array(repeating: [JSONValue](), count: records.count)
        var unmatched: [String] = []
        for output in outputs {
            guard let value = output.value, let document = try? JSONParser.parse(value), let payload = document["payload"]?.objectValue else {
                unmatched.append("unparsable output on \(output.topic)")
                continue
            }
            let index: Int?
            if output.topic == topics.error, case .string(let topic)? = payload["source_topic"], case .number(let partition)? = payload["source_partition"],
                case .number(let offset)? = payload["source_offset"] {
                index = sourceByPosition["\(topic)/\(Int(partition))/\(Int(offset))"]
            } else if let topic = payload["source_event_type"]?.stringValue, let eventID = payload["source_event_id"]?.stringValue {
                index = sourceByEvent["\(topic)/\(eventID)"]
            } else {
                index = nil
            }
            guard let index else {
                unmatched.append("output on \(output.topic) matches no fixture")
                continue
            }
            perRecord[index].append(Self.normalize(output, input: records[index]))
        }

        var actual: [String: [String]] = [:]
        for (index, record) in records.enumerated() {
            var line = JSONObject()
            line["id"] = .string(record.id)
            line["outputs"] = .array(perRecord[index])
            actual["\(record.topic).jsonl", default: []].append(String(decoding: Fixtures.writeJSON(.object(line)), as: UTF8.self))
        }
        var mismatches = unmatched
        for (file, lines) in actual.sorted(by: { $0.key < $1.key }) {
            mismatches += compare(file: file, actual: lines)
        }
        return Outcome(actual: actual, mismatches: mismatches)
    }

    /// Rewrites the golden files with `outcome.actual`.
    public func update(with outcome: Outcome) throws {
        let folder = URL(fileURLWithPath: app.config.fixturesDirectory).appendingPathComponent("expected")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (file, lines) in outcome.actual {
            try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent(file), atomically: true, encoding: .utf8)
        }
    }

    private func compare(file: String, actual: [String]) -> [String] {
        let path = URL(fileURLWithPath: app.config.fixturesDirectory).appendingPathComponent("expected").appendingPathComponent(file)
        guard let text = try? String(contentsOf: path, encoding: .utf8) else { return ["\(file): no golden file (run `ai-worker replay --update`)"] }
        let expected = text.split(separator: "\n").map(String.init)
        var problems: [String] = []
        for index in 0..<max(expected.count, actual.count) {
            let want = index < expected.count ? try? JSONParser.parse(expected[index]) : nil
            let have = index < actual.count ? try? JSONParser.parse(actual[index]) : nil
            guard want != have else { continue }
            let id = have?["id"]?.stringValue ?? want?["id"]?.stringValue ?? "line \(index + 1)"
            var differences: [String] = []
            Self.diff(want, have, path: "", into: &differences)
            problems.append("\(file) \(id):\n    " + differences.prefix(12).joined(separator: "\n    "))
        }
        return problems
    }

    static func diff(_ expected: JSONValue?, _ actual: JSONValue?, path: String, into differences: inout [String]) {
        switch (expected, actual) {
        case (.object(let left)?, .object(let right)?):
            for key in Set(left.keys).union(right.keys).sorted() {
                diff(left[key], right[key], path: path + "." + key, into: &differences)
            }
        case (.array(let left)?, .array(let right)?) where left.count == right.count:
            for index in left.indices { diff(left[index], right[index], path: path + "[\(index)]", into: &differences) }
        default:
            if expected != actual {
                differences.append("\(path.isEmpty ? "." : path): expected \(render(expected)), got \(render(actual))")
            }
        }
    }

    static func render(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        let text = String(decoding: Fixtures.writeJSON(value), as: UTF8.self)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }

    /// The deterministic part of an output: no ids, times or positions that vary per run.
    static func normalize(_ output: KafkaRecord, input: FixtureRecord) -> JSONValue {
        var object = JSONObject()
        object["topic"] = .string(output.topic)
        object["key"] = output.key.map { .string(String(decoding: $0, as: UTF8.self)) } ?? .null
        var headers = JSONObject()
        for header in output.headers {
            let text = header.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
            switch header.name {
            case "traceparent":
                let continued = input.headers.first { $0.name == "traceparent" }.flatMap { $0.value }.flatMap {
                    TraceContext(traceparent: String(decoding: $0, as: UTF8.self))
                }
                let trace = TraceContext(traceparent: text)
                headers["traceparent"] = .string(continued.map { $0.traceID == trace?.traceID ? "continued \($0.traceID)" : "BROKEN" } ?? (trace == nil ? "INVALID" : "new"))
            default:
                headers[header.name] = .string(text)
            }
        }
        object["headers"] = .object(headers)
        if let value = output.value, case .object(var document)? = try? JSONParser.parse(value) {
            document["event_id"] = nil
            document["timestamp"] = nil
            if case .object(var payload)? = document["payload"] {
                for key in ["processing_id", "processing_time_ms", "source_partition", "source_offset"] { payload[key] = nil }
                document["payload"] = .object(payload)
            }
            object["value"] = .object(document)
        }
        return .object(object)
    }
}

public struct ReplayError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
