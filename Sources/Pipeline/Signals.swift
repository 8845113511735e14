import Kafka
import Synchronization

/// The consumer, once created; read from callbacks that may run before it exists.
final class ConsumerBox: Sendable {
    private let value = Mutex<KafkaConsumer?>(nil)
    var consumer: KafkaConsumer? { value.withLock { $0 } }
    func set(_ consumer: KafkaConsumer?) { value.withLock { $0 = consumer } }
}

/// A one-shot signal that any number of tasks can await.
final class ShutdownSignal: Sendable {
    private struct State {
        var signalled = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func signal() {
        let waiters = state.withLock { state in
            state.signalled = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let done = state.withLock { state in
                    if state.signalled { return true }
                    state.waiters.append(continuation)
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            signal()
        }
    }
}
