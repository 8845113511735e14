import Foundation
import Synchronization

/// A dedicated OS thread running a loop until asked to stop. librdkafka's blocking calls run
/// here, never on Swift's cooperative pool.
final class PollThread: Sendable {
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let name: String

    init(name: String) { self.name = name }

    var isStopRequested: Bool { stopRequested.load(ordering: .acquiring) }

    /// Starts `body`, which must return soon after `isStopRequested` turns true.
    func start(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [finished] in
            body()
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    func requestStop() { stopRequested.store(true, ordering: .releasing) }

    /// Blocks the calling (non-cooperative) thread until the loop has returned.
    func join() { finished.wait() }
}

/// Runs a blocking call on a thread outside the cooperative pool and awaits its result.
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread { continuation.resume(returning: work()) }
    }
}
