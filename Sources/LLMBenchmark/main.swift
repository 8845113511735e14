import Analysis
import Cache
import Foundation
import LLM
import Pipeline

// LLM tier throughput: every message needs the LLM (rules unsure, distinct texts so nothing is
// cached), the fake provider (`scripts/fake-llm.py`) answers after `--delay-ms` (1000), and at
// most `--in-flight` messages are analyzed at once. Prints results/s, latency p50/p99 and the
// in-flight peak.
//   swift run -c release llm-bench [--messages 4000] [--in-flight 400] [--delay-ms 1000]

func argument(_ name: String, _ fallback: Int) -> Int {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let value = Int(arguments[index + 1]) else { return fallback }
    return value
}

let messages = argument("--messages", 4000)
let inFlightLimit = argument("--in-flight", 400)
let delay = argument("--delay-ms", 1000)

let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/fake-llm.py")
let server = Process()
server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
server.arguments = ["python3", script.path]
let serverInput = Pipe(), serverOutput = Pipe()
server.standardInput = serverInput
server.standardOutput = serverOutput
try server.run()
var portLine: [UInt8] = []
while !portLine.contains(UInt8(ascii: "\n")) {
    let chunk = serverOutput.fileHandleForReading.availableData
    if chunk.isEmpty { break }
    portLine.append(contentsOf: chunk)
}
guard let port = String(decoding: portLine, as: UTF8.self).split(separator: "\n").first.flatMap({ Int($0.dropFirst("PORT=".count)) }) else {
    FileHandle.standardError.write(Data("llm-bench: scripts/fake-llm.py did not start\n".utf8))
    exit(1)
}

let http = try CurlClient()
let control = #"{"scenarios":["slow"],"delay_ms":\#(delay)}"#
_ = try await http.send(HTTPRequest(url: "http://127.0.0.1:\(port)/_control/bench", body: Array(control.utf8)))

var configuration = LLMConfiguration(provider: .openai, baseURL: "http://127.0.0.1:\(port)/bench/v1", apiKey: "bench", model: "gpt-4o-mini")
configuration.timeout = .seconds(10)
configuration.dailyBudgetUSD = nil
let defaults = AnalysisDefaults(timeZone: TimeZone(identifier: "Asia/Kolkata")!, currency: "INR", country: "IN")
let tiers = TieredAnalyzer(
    rules: RulesAnalyzer(engine: RulesEngine(), defaults: defaults),
    cache: ResultCache(redis: nil, lruCapacity: 10_000, ttlSeconds: 3600, kinds: TieredAnalyzer.cacheKinds),
    llm: LLMClient(configuration: configuration, http: http)
)
let context = AnalysisContext(referenceTime: Date(), timeZone: defaults.timeZone)

struct Sample: Sendable {
    var seconds: Double
    var usedLLM: Bool
    var degraded: Bool
}

print("llm-bench: \(messages) messages, fake LLM answering after \(delay) ms, in-flight limit \(inFlightLimit)")
let started = ContinuousClock.now
func run() async -> (samples: [Sample], peak: Int) {
    var samples: [Sample] = []
    samples.reserveCapacity(messages)
    var inFlight = 0
    var peak = 0
    await withTaskGroup(of: Sample.self) { group in
        var next = 0
        func launch() {
            let index = next
            next += 1
            inFlight += 1
            peak = max(peak, inFlight)
            group.addTask {
                let begin = ContinuousClock.now
                let outcome = await tiers.analyze(
                    text: "hmm the thing from before, number \(index)", context: context,
                    options: TieredAnalyzer.Options(tenant: "bench", businessID: "b\(index % 50)", forceLLM: true)
                )
                let elapsed = ContinuousClock.now - begin
                return Sample(seconds: elapsed.inSeconds, usedLLM: outcome.llm.used, degraded: outcome.degraded)
            }
        }
        while next < min(inFlightLimit, messages) { launch() }
        for await sample in group {
            inFlight -= 1
            samples.append(sample)
            if next < messages { launch() }
        }
    }
    return (samples, peak)
}
let (samples, peak) = await run()
let total = ContinuousClock.now - started
let seconds = total.inSeconds
let latencies = samples.map(\.seconds).sorted()
func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
print(String(format: "results: %d in %.2f s = %.1f results/s", samples.count, seconds, Double(samples.count) / seconds))
print(String(format: "latency: p50 %.0f ms, p99 %.0f ms", percentile(0.5) * 1000, percentile(0.99) * 1000))
print("in-flight peak: \(peak); LLM used: \(samples.filter(\.usedLLM).count); degraded: \(samples.filter(\.degraded).count)")
await http.shutdown()
server.terminate()
