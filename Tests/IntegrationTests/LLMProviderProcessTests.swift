import Events
import Foundation
import Kafka
import Testing

/// `scripts/fake-llm.py` as a child process answering every request with one scenario.
final class FakeProviderProcess: Sendable {
    let port: Int
    private let process: Process
    /// Kept open: the script exits when its standard input closes.
    private let stdin: Pipe

    init(scenario: String, retryAfter: String) async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", packageRoot.appendingPathComponent("scripts/fake-llm.py").path, "--scenario", scenario, "--retry-after", retryAfter]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let handle = stdout.fileHandleForReading
        let line = await runBlocking { () -> String in
            var bytes: [UInt8] = []
            while !bytes.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                bytes.append(contentsOf: chunk)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "PORT=", with: "")) else {
            process.terminate()
            throw TestFailure("scripts/fake-llm.py did not print its port: \(line)")
        }
        self.port = port
        self.process = process
        self.stdin = stdin
    }

    /// Requests the provider received under the path prefix `id`.
    func requests(id: String) async -> Int? {
        guard let reply = await operationsGet(port: port, path: "/_stats/\(id)"), reply.status == 200 else { return nil }
        let stats = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
        return stats?["requests"] as? Int
    }

    deinit { process.terminate() }
}

/// ai-worker against an LLM provider that misbehaves, as an operator would see it.
@Suite(.timeLimit(.minutes(3))) struct LLMProviderProcessTests {
    /// An absurd `Retry-After` once trapped on `Int(seconds * 1000)` (SIGILL on every restart,
    /// the input never committed). Now every input is answered from the rules, marked degraded.
    @Test func a429WithAnAbsurdRetryAfterDegradesInsteadOfCrashing() async throws {
        let provider = try await FakeProviderProcess(scenario: "429", retryAfter: "99999999999999999999")
        let broker = try topicsWithCluster()
        let inputs = (0..<30).map { messageEvent(id: "r-\($0)", lead: "lead-\($0 % 10)", text: "price of \($0 % 5 + 1) chairs?") }
        try await produce(inputs, to: broker)
        let worker = try WorkerProcess(
            brokers: broker.bootstrapServers,
            extraEnvironment: [
                "KAFKA_GROUP_ID": "g-\(UUID().uuidString)", "LLM_PROVIDER": "openai", "LLM_BASE_URL": "http://127.0.0.1:\(provider.port)/absurd/v1",
                "LLM_API_KEY": "test", "LLM_MODEL": "fake", "LLM_PRICES": "fake=0/0", "LLM_CONFIDENCE_THRESHOLD": "1",
            ]
        )
        let outputs = try await awaitOutputs(broker, watching: [worker]) { Set($0.compactMap(\.sourceEventID)).count >= inputs.count }
        #expect(worker.process.isRunning, "\(worker.log.suffix(2000))")
        let requests = await provider.requests(id: "absurd") ?? 0
        #expect(requests >= 1, "the LLM tier was never asked: the test would prove nothing")
        #expect(outputs.allSatisfy { $0.topic == "ai.process.result" }, "\(outputs.filter { $0.topic != "ai.process.result" }.map(\.document))")
        #expect(outputs.allSatisfy { $0.payload?["degraded"] == .bool(true) })
        #expect(Set(outputs.compactMap(\.sourceEventID)) == Set(inputs.map(\.id)))
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0, "\(worker.log.suffix(2000))")
    }
}
