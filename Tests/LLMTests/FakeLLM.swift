import Foundation
import LLM
import Testing

/// `scripts/fake-llm.py`, started once per test process; it exits when our end of its stdin
/// closes (when this process ends).
final class FakeLLM: Sendable {
    let port: Int
    let http: CurlClient
    private let stdin: Pipe
    /// Only kept alive, never touched after start.
    private let process: Process

    private init(port: Int, process: Process, stdin: Pipe, http: CurlClient) {
        self.port = port
        self.process = process
        self.stdin = stdin
        self.http = http
    }

    private static let instance = Task<FakeLLM, any Error> { try await start() }

    static func shared() async throws -> FakeLLM { try await instance.value }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func start() async throws -> FakeLLM {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repositoryRoot.appendingPathComponent("scripts/fake-llm.py").path]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        let handle = stdout.fileHandleForReading
        // Blocking read of the `PORT=` line on a Dispatch thread, not the cooperative pool.
        let line: String = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var bytes: [UInt8] = []
                while !bytes.contains(UInt8(ascii: "\n")) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    bytes.append(contentsOf: chunk)
                }
                continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
            }
        }
        guard let port = line.split(separator: "\n").first.flatMap({ Int($0.replacingOccurrences(of: "PORT=", with: "")) }) else {
            throw FakeLLMError(message: "scripts/fake-llm.py did not print its port (python3 missing?): \(line)")
        }
        return FakeLLM(port: port, process: process, stdin: stdin, http: try CurlClient())
    }

    /// A fresh path prefix with its own scenario and counters.
    func scenario(_ scenarios: [String], intent: String = "ORDER_REQUEST", delayMilliseconds: Int = 0, retryAfter: String = "1", answer: String? = nil) async throws -> String {
        let id = "t" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await control(id, scenarios, intent: intent, delayMilliseconds: delayMilliseconds, retryAfter: retryAfter, answer: answer)
        return id
    }

    func control(_ id: String, _ scenarios: [String], intent: String = "ORDER_REQUEST", delayMilliseconds: Int = 0, retryAfter: String = "1", answer: String? = nil) async throws {
        let list = scenarios.map { "\"\($0)\"" }.joined(separator: ",")
        var body = #"{"scenarios":[\#(list)],"intent":"\#(intent)","delay_ms":\#(delayMilliseconds),"retry_after":"\#(retryAfter)""#
        if let answer { body += #","answer":\#(answer)"# }
        body += "}"
        let response = try await http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/_control/\(id)", body: Array(body.utf8)))
        #expect(response.status == 200)
    }

    struct Stats {
        var requests: Int
        var times: [Double]
        var lastBody: String
        var lastTraceparent: String?
    }

    func stats(_ id: String) async throws -> Stats {
        let response = try await http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/_stats/\(id)", method: "GET"))
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
        return Stats(requests: object["requests"] as? Int ?? -1, times: object["times"] as? [Double] ?? [], lastBody: object["last_body"] as? String ?? "", lastTraceparent: object["last_traceparent"] as? String)
    }

    func configuration(_ id: String, provider: LLMProvider = .openai) -> LLMConfiguration {
        let base = provider == .openai ? "http://127.0.0.1:\(port)/\(id)/v1" : "http://127.0.0.1:\(port)/\(id)"
        var configuration = LLMConfiguration(provider: provider, baseURL: base, apiKey: "test-key", model: "gpt-4o-mini", complexModel: "gpt-4o")
        // Generous: the fake answers in milliseconds, but CI runs it beside the whole suite on
        // 2 cores; tests of the timeouts themselves set their own.
        configuration.timeout = .seconds(10)
        configuration.connectTimeout = .seconds(5)
        configuration.backoffBase = .milliseconds(10)
        configuration.backoffCap = .milliseconds(40)
        configuration.deadline = .seconds(30)
        configuration.breakerFailureThreshold = 50
        configuration.dailyBudgetUSD = nil
        return configuration
    }
}

struct FakeLLMError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
