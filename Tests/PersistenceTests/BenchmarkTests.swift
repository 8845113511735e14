import Foundation
import PostgresNIO
import Testing

@testable import Persistence

/// Opt-in throughput check: `PERSISTENCE_BENCH=1 swift test --filter PersistenceBenchmark`
/// (for real numbers: `-c release -Xswiftc -enable-testing`). Prints results applied per second
/// and the p99 latency of one batch. `PERSISTENCE_BENCH_RESULTS`, `_BATCH`, `_WORKERS` tune it.
@Suite("PersistenceBenchmark", .enabled(if: ProcessInfo.processInfo.environment["PERSISTENCE_BENCH"] == "1"))
struct PersistenceBenchmark {
    @Test func applyThroughput() async throws {
        let environment = ProcessInfo.processInfo.environment
        let total = Int(environment["PERSISTENCE_BENCH_RESULTS"] ?? "") ?? 10_000
        let batchSize = Int(environment["PERSISTENCE_BENCH_BATCH"] ?? "") ?? 200
        let workers = Int(environment["PERSISTENCE_BENCH_WORKERS"] ?? "") ?? 4
        var config = try TestDatabase.adminConfig().with(schema: TestDatabase.uniqueName("bench"))
        config.maximumConnections = workers

        try await TestDatabase.withClient(config: config) { client, _ in
            let applier = ResultApplier(client: client, retrier: TestDatabase.retrier(), logger: TestDatabase.logger())
            // 1 lead per 5 results, intents mixed so follow-ups are created too.
            let intents = ["ORDER_REQUEST", "PRICING_INQUIRY", "COMPLAINT", "GREETING", "SCHEDULE_CALL"]
            let leads = (0..<(total / 5 + 1)).map { _ in UUID().uuidString.lowercased() }
            let records: [InboundRecord] = (0..<total).map { index in
                var spec = ResultSpec(leadID: leads[index / 5])
                spec.intent = intents[index % intents.count]
                spec.timestamp = "2025-10-25T10:\(String(format: "%02d", index % 60)):00Z"
                return spec.record(offset: Int64(index), partition: Int32(index % workers))
            }
            // Partition by lead (as the pipeline does by key), then batch.
            let lanes = (0..<workers).map { lane in records.filter { Int($0.partition) == lane } }
            let clock = ContinuousClock()
            let start = clock.now
            let latencies = Recorder<Duration>()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in lanes {
                    group.addTask {
                        var index = 0
                        while index < lane.count {
                            let batch = Array(lane[index..<min(index + batchSize, lane.count)])
                            let began = clock.now
                            _ = try await applier.applyReliably(batch)
                            latencies.append(began.duration(to: clock.now))
                            index += batchSize
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let sorted = latencies.values.sorted()
            let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
            print("persistence benchmark: \(total) results, batch \(batchSize), \(workers) workers: \(Int(Double(total) / seconds)) results/s, p99 batch latency \(p99)")
            #expect(try await TestDatabase.count(client, "processed_messages") == total)
        }
    }
}
