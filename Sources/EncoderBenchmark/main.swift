import Foundation
import Events
import SentenceEncoder

// encoder-bench: the sentence encoder's speed on this machine. For each batch size, one thread
// embeds the same messages in batches of that size (messages/s, µs per token, ms per batch);
// then an EncoderExecutor with 1 and 2 threads takes every message as its own concurrent request
// (batching what queues up); last, requests paced at 100 messages/s give the added latency.
// Model folder: ML_MODEL_DIR, else install-model.sh's default.
// Usage: encoder-bench [messages per row, default 256]

let environment = ProcessInfo.processInfo.environment
let directory = environment["ML_MODEL_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
    ?? SentenceEncoder.defaultModelDirectory(environment: environment)
let messageCount = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 256

let samples = [
    "Do you have the blue kurta in size M?", "bhai ye wala phone kitne ka hai? COD milega kya", "What time do you open on Sunday?",
    "I want to cancel my order, it has not shipped yet", "pls send catalog and price list asap 🙏", "is delivery free to Pune?",
    "mujhe 2 kg atta aur 1 litre oil chahiye kal tak", "the shoes I got are the wrong size, how do I return them",
    "hi", "Can I change the delivery address to MG Road, Bengaluru?", "stop sending me these messages",
    "aapka delivery bahut late hai, very bad service yaar", "do you do bulk orders for a wedding of 300 guests, and what discount?",
]
let messages = (0..<messageCount).map { samples[$0 % samples.count] }

let loadStart = ContinuousClock.now
let encoder: SentenceEncoder
do {
    encoder = try SentenceEncoder(modelDirectory: directory)
} catch {
    FileHandle.standardError.write(Data("encoder-bench: \(error) (run scripts/install-model.sh)\n".utf8))
    exit(1)
}
let tokenCount = messages.reduce(0) { $0 + encoder.tokenizer.tokenize($1).ids.count }
print("model \(directory.path) loaded in \(loadStart.duration(to: .now))")
print("\(messageCount) messages, \(tokenCount) tokens (\(String(format: "%.1f", Double(tokenCount) / Double(messageCount))) per message incl. [CLS]/[SEP])")

/// Wall-clock and process CPU seconds of `work`: on a machine shared with other jobs the CPU
/// time says what the encoder costs, the wall time what it got.
func measure(_ work: () async throws -> Void) async rethrows -> (wall: Double, cpu: Double) {
    func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6
    }
    let cpuStart = cpuSeconds()
    let start = ContinuousClock.now
    try await work()
    let wall = start.duration(to: .now)
    return (wall.inSeconds, cpuSeconds() - cpuStart)
}

func row(_ label: String, _ time: (wall: Double, cpu: Double), batches: Int? = nil) {
    let perBatch = batches.map { String(format: " %8.2f ms/batch", time.wall * 1000 / Double($0)) } ?? ""
    print(
        label.padding(toLength: 14, withPad: " ", startingAt: 0)
            + String(format: "%8.1f msg/s %8.1f µs/token", Double(messageCount) / time.wall, time.wall * 1e6 / Double(tokenCount)) + perBatch
            + String(format: " | CPU %8.1f msg/s %7.1f µs/token", Double(messageCount) / time.cpu, time.cpu * 1e6 / Double(tokenCount))
    )
}

_ = encoder.embed(Array(messages.prefix(32)), maxBatch: 32)
print("wall-clock figures, then process CPU time (what the encoder costs when the cores are shared)")
print("single thread, batch size:")
for batch in [1, 4, 16, 32] {
    let time = await measure { _ = encoder.embed(messages, maxBatch: batch) }
    row("  batch \(batch)", time, batches: (messageCount + batch - 1) / batch)
}

print("EncoderExecutor, every message its own concurrent request (max batch 32):")
for threads in [1, 2] {
    let executor = EncoderExecutor(encoder: encoder, threads: threads, maxBatch: 32)
    let time = try await measure {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for message in messages { group.addTask { _ = try await executor.embed([message]) } }
            try await group.waitForAll()
        }
    }
    await executor.shutdown()
    row("  \(threads) thread\(threads == 1 ? "" : "s")", time)
}

// Added latency at a steady rate: one request every 10 ms (100 messages/s) for `messageCount`
// messages through a 2-thread executor; each request's time from submission to its embedding.
let pacedExecutor = EncoderExecutor(encoder: encoder, threads: 2, maxBatch: 32)
let latencies = try await withThrowingTaskGroup(of: Double.self) { group in
    let interval = Duration.milliseconds(10)
    let begin = ContinuousClock.now
    for (index, message) in messages.enumerated() {
        try await Task.sleep(until: begin + interval * index, clock: .continuous)
        group.addTask {
            let submitted = ContinuousClock.now
            _ = try await pacedExecutor.embed([message])
            let elapsed = submitted.duration(to: .now)
            return elapsed.inSeconds * 1000
        }
    }
    var collected: [Double] = []
    for try await latency in group { collected.append(latency) }
    return collected.sorted()
}
await pacedExecutor.shutdown()
func percentile(_ fraction: Double) -> Double { latencies[min(latencies.count - 1, Int((Double(latencies.count) * fraction).rounded(.up)) - 1)] }
print(String(format: "paced at 100 msg/s, 2 threads: latency p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d messages)", percentile(0.5), percentile(0.99), latencies.last ?? 0, latencies.count))
