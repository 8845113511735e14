import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Pipeline

/// The executor's hand-offs between the poll thread, the worker tasks and shutdown, exercised
/// from real threads (no librdkafka, so they also run under the thread sanitizer).
@Suite struct ExecutorPrimitivesTests {
    /// Pushed in rounds that each wait until the last was taken, so that pushes find workers
    /// waiting (the hand-off path) as well as a non-empty queue.
    @Test func everyPushedElementReachesExactlyOneWorker() async {
        let queue = WorkQueue<Int>()
        let taken = Counter()
        let rounds = 200, perRound = 100
        let received = await withTaskGroup(of: [Int].self, returning: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    var mine: [Int] = []
                    while let element = await queue.next() {
                        mine.append(element)
                        taken.increment()
                    }
                    return mine
                }
            }
            await PlainThread {
                for round in 0..<rounds {
                    for element in round * perRound..<(round + 1) * perRound { queue.push(element) }
                    while taken.value < (round + 1) * perRound { sched_yield() }
                }
            }.run()
            queue.finish()
            var all: [Int] = []
            for await part in group { all += part }
            return all
        }
        #expect(received.count == rounds * perRound)
        #expect(Set(received).count == rounds * perRound, "no element twice")
    }

    @Test func finishWakesEveryWaitingWorker() async {
        let queue = WorkQueue<Int>()
        let ended = await withTaskGroup(of: Int.self, returning: Int.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    while await queue.next() != nil {}
                    return 1
                }
            }
            queue.push(1)
            queue.finish()
            return await group.reduce(0, +)
        }
        #expect(ended == 3)
    }

    @Test func aSignalFromAnotherThreadWakesEveryWaiter() async {
        let signal = OneShotSignal()
        let woken = await withTaskGroup(of: Bool.self, returning: Int.self) { group in
            for _ in 0..<8 { group.addTask { await signal.wait(timeout: .seconds(30)) } }
            await PlainThread { signal.signal() }.run()
            var count = 0
            for await result in group where result { count += 1 }
            return count
        }
        #expect(woken == 8)
        #expect(await signal.wait(timeout: .zero), "a signal already given is seen at once")
    }

    @Test func anUnsignalledWaitEndsAtItsTimeoutOrOnCancellation() async {
        let signal = OneShotSignal()
        #expect(await signal.wait(timeout: .milliseconds(20)) == false)
        let waiting = Task { await signal.wait(timeout: nil) }
        waiting.cancel()
        #expect(await waiting.value == false)
    }

    /// Issue 10 §7: a permit left from an earlier wait must not end a later one at once.
    @Test func aCapacityReleaseBeforeAWaitDoesNotSatisfyIt() {
        let waits = EngineWaits()
        waits.capacityFreed()
        #expect(waits.waitForCapacity(timeout: .milliseconds(50)) { true } == false)
    }

    @Test func aCapacityReleaseFromAnotherThreadEndsTheWait() {
        let waits = EngineWaits()
        let installed = DispatchSemaphore(value: 0)
        let releasing = PlainThread {
            installed.wait()
            waits.capacityFreed()
        }
        releasing.start()
        let released = waits.waitForCapacity(timeout: .seconds(30)) {
            installed.signal()
            return true
        }
        #expect(released)
    }

    @Test func aRevocationIsEndedOnlyByItsOwnNumber() {
        let waits = EngineWaits()
        func wait(for number: UInt64, signalling signalled: UInt64, timeout: Duration) -> Bool {
            let installed = DispatchSemaphore(value: 0)
            PlainThread {
                installed.wait()
                waits.revocationDrained(signalled)
            }.start()
            return waits.waitForRevocation(number, timeout: timeout) {
                installed.signal()
                return true
            }
        }
        #expect(wait(for: 7, signalling: 6, timeout: .milliseconds(200)) == false, "an earlier revocation's signal")
        #expect(wait(for: 7, signalling: 7, timeout: .seconds(30)))
    }
}

private final class Counter: Sendable {
    private let count = Mutex(0)
    var value: Int { count.withLock { $0 } }
    func increment() { count.withLock { $0 += 1 } }
}

/// A plain thread running `body` once, for tests that need a caller outside the concurrency
/// pool (the poll thread's side of a hand-off).
private final class PlainThread: Sendable {
    private let body: @Sendable () -> Void
    private let done = OneShotSignal()

    init(_ body: @escaping @Sendable () -> Void) { self.body = body }

    func start() {
        let done = done
        let body = body
        let thread = Thread {
            body()
            done.signal()
        }
        thread.start()
    }

    /// Starts the thread and returns once `body` has finished.
    func run() async {
        start()
        await done.wait()
    }
}
