@testable import SentenceEncoder
import Testing

/// The executor's queue, step by step, without threads.
@Suite struct EncoderQueueTests {
    @Test func anEmptyQueueMakesAWorkerWait() {
        var queue = EncoderQueue<String>()
        guard case .wait = queue.next(maxItems: 4) else { Issue.record("expected wait"); return }
    }

    @Test func aSubmissionWakesAWorkerWhichTakesQueuedJobsInOrderUpToTheBatchSize() {
        var queue = EncoderQueue<String>()
        for (job, size) in [("a", 1), ("b", 2), ("c", 1), ("d", 1)] {
            guard case .wakeWorker = queue.submit(job, size: size) else { Issue.record("expected wakeWorker"); return }
        }
        guard case .run(let first) = queue.next(maxItems: 4) else { Issue.record("expected a batch"); return }
        #expect(first == ["a", "b", "c"])
        guard case .run(let second) = queue.next(maxItems: 4) else { Issue.record("expected a batch"); return }
        #expect(second == ["d"])
        guard case .wait = queue.next(maxItems: 4) else { Issue.record("expected wait"); return }
        #expect(queue.queuedCount == 0)
    }

    @Test func aJobLargerThanTheBatchSizeRunsAlone() {
        var queue = EncoderQueue<String>()
        _ = queue.submit("big", size: 10)
        _ = queue.submit("small", size: 1)
        guard case .run(let first) = queue.next(maxItems: 4) else { Issue.record("expected a batch"); return }
        #expect(first == ["big"])
        guard case .run(let second) = queue.next(maxItems: 4) else { Issue.record("expected a batch"); return }
        #expect(second == ["small"])
    }

    @Test func shutdownHandsBackQueuedJobsRejectsLaterOnesAndEndsWorkers() {
        var queue = EncoderQueue<String>()
        _ = queue.submit("a", size: 1)
        _ = queue.submit("b", size: 1)
        guard case .run(let running) = queue.next(maxItems: 1) else { Issue.record("expected a batch"); return }
        #expect(running == ["a"])
        #expect(queue.shutDown() == ["b"])
        guard case .reject(let rejected) = queue.submit("c", size: 1) else { Issue.record("expected reject"); return }
        #expect(rejected == "c")
        guard case .exit = queue.next(maxItems: 1) else { Issue.record("expected exit"); return }
        #expect(queue.shutDown().isEmpty)
    }

    @Test func everyJobIsHandedOutExactlyOnceAcrossManyInterleavings() {
        var generator = SplitMix64(seed: 3)
        for _ in 0..<200 {
            var queue = EncoderQueue<Int>()
            var handedOut: [Int] = []
            var submitted = 0
            for _ in 0..<Int(generator.next() % 200) {
                if generator.next() % 3 == 0 {
                    if case .run(let jobs) = queue.next(maxItems: Int(generator.next() % 5) + 1) { handedOut += jobs }
                } else if case .wakeWorker = queue.submit(submitted, size: Int(generator.next() % 3) + 1) {
                    submitted += 1
                }
            }
            handedOut += queue.shutDown()
            #expect(handedOut == Array(0..<submitted))
        }
    }
}
