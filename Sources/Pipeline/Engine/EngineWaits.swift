import Dispatch
import Events
import Kafka
import Synchronization

/// The waits of the stream executor's poll thread and shutdown: each wait gets a fresh
/// semaphore (or signal), so a late signal can never satisfy a later wait.
final class EngineWaits: Sendable {
    private let capacity = Mutex<DispatchSemaphore?>(nil)
    private let revocation = Mutex<(number: UInt64, semaphore: DispatchSemaphore)?>(nil)
    let drained = OneShotSignal()

    /// Blocks the poll thread until `capacityFreed()` or the timeout; `stillWaiting` is asked
    /// after the semaphore is installed, so a release that came before it is not missed.
    func waitForCapacity(timeout: Duration, stillWaiting: () -> Bool) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        capacity.withLock { $0 = semaphore }
        defer { capacity.withLock { $0 = nil } }
        guard stillWaiting() else { return true }
        return semaphore.wait(timeout: .now() + .milliseconds(timeout.wholeMillisecondsClamped)) == .success
    }

    func capacityFreed() {
        capacity.withLock { $0 }?.signal()
    }

    /// Blocks the poll thread until revocation `number` drained or the timeout passes.
    func waitForRevocation(_ number: UInt64, timeout: Duration, stillWaiting: () -> Bool) -> Bool {
        let semaphore = DispatchSemaphore(value: 0)
        revocation.withLock { $0 = (number, semaphore) }
        defer { revocation.withLock { $0 = nil } }
        guard stillWaiting() else { return true }
        return semaphore.wait(timeout: .now() + .milliseconds(timeout.wholeMillisecondsClamped)) == .success
    }

    func revocationDrained(_ number: UInt64) {
        revocation.withLock { $0?.number == number ? $0?.semaphore : nil }?.signal()
    }
}

/// A one-shot signal that any number of tasks can await, with or without a timeout.
final class OneShotSignal: Sendable {
    private struct State {
        var signalled = false
        var waiters: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }
    private let state = Mutex(State())

    func signal() {
        let waiters = state.withLock { state in
            state.signalled = true
            defer { state.waiters.removeAll() }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume(returning: true) }
    }

    /// Returns when signalled (true), or when the task is cancelled (false).
    func wait() async {
        _ = await wait(timeout: nil)
    }

    /// True when signalled; false when `timeout` passed or the task was cancelled first.
    func wait(timeout: Duration?) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.waitUntilSignalled() }
            if let timeout {
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return false
                }
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func waitUntilSignalled() async -> Bool {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state in
                    if state.signalled || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if done { continuation.resume(returning: state.withLock { $0.signalled }) }
            }
        } onCancel: {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: false)
        }
    }
}

/// The consumer, once created; read from callbacks that may run before it exists.
final class ConsumerBox: Sendable {
    private let value = Mutex<KafkaConsumer?>(nil)
    var consumer: KafkaConsumer? { value.withLock { $0 } }
    func set(_ consumer: KafkaConsumer?) { value.withLock { $0 = consumer } }
}
