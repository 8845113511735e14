import Analysis
import AnalysisEvaluation
import Events
import Foundation

// analysis-bench [--file PATH] [--seconds N]: runs the rules engine over the evaluation set's
// texts repeatedly on one thread and prints throughput, latency percentiles and peak memory.

var path = EvaluationSet.defaultPath
var seconds = 5.0
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let arg = arguments.next() {
    switch arg {
    case "--file": if let v = arguments.next() { path = v }
    case "--seconds": if let v = arguments.next(), let s = Double(v) { seconds = s }
    default:
        FileHandle.standardError.write("usage: analysis-bench [--file PATH] [--seconds N]\n".data(using: .utf8)!)
        exit(2)
    }
}

let examples: [LabelledExample]
do { examples = try EvaluationSet.load(fileURL: URL(fileURLWithPath: path)) } catch {
    FileHandle.standardError.write("analysis-bench: \(error)\n".data(using: .utf8)!)
    exit(1)
}
guard !examples.isEmpty else {
    FileHandle.standardError.write("analysis-bench: no examples in \(path)\n".data(using: .utf8)!)
    exit(1)
}

let clock = ContinuousClock()
let buildStart = clock.now
let engine = RulesEngine()
let buildTime = clock.now - buildStart


// Warm-up.
var sink = 0
for ex in examples { sink &+= engine.analyze(ex.text, context: ex.context).leadScore }

var latencies: [Int64] = []
latencies.reserveCapacity(1_000_000)
let start = clock.now
var elapsed = Duration.zero
var passes = 0
while elapsed < .milliseconds(Int64(seconds * 1000)) {
    for ex in examples {
        let t0 = clock.now
        let a = engine.analyze(ex.text, context: ex.context)
        latencies.append((clock.now - t0).wholeNanoseconds)
        sink &+= a.leadScore
    }
    passes += 1
    elapsed = clock.now - start
}
let total = elapsed.inSeconds
latencies.sort()
func percentile(_ sorted: [Int64], _ p: Double) -> Double { Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000 }

func peakMemoryKiB() -> String {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return "n/a" }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        return line.dropFirst(6).trimmingCharacters(in: .whitespaces)
    }
    return "n/a"
}

let avgBytes = examples.reduce(0) { $0 + $1.text.utf8.count } / examples.count
print("analysis-bench: \(examples.count) messages (avg \(avgBytes) bytes) x \(passes) passes, 1 thread")
print(String(format: "engine init: %.1f ms", buildTime.inSeconds * 1000))
print(String(format: "throughput: %.0f messages/s", Double(latencies.count) / total))
print(String(format: "latency: p50 %.1f µs, p99 %.1f µs, max %.1f µs", percentile(latencies, 0.5), percentile(latencies, 0.99), percentile(latencies, 1.0)))
print("peak memory (VmHWM): \(peakMemoryKiB())")
if sink == 42 { print("") }
