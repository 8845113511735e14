import Synchronization

/// An unbounded FIFO between the poll thread and the worker tasks. It is bounded in practice
/// by the pipeline's in-flight limit, which pauses fetching.
final class WorkQueue<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var head = 0
        var waiters: [CheckedContinuation<Element?, Never>] = []
        var finished = false
        mutating func pop() -> Element? {
            guard head < items.count else { return nil }
            let element = items[head]
            head += 1
            if head == items.count {
                items.removeAll(keepingCapacity: true)
                head = 0
            } else if head > 4096 {
                items.removeFirst(head)
                head = 0
            }
            return element
        }
    }

    private let state = Mutex(State())

    func push(_ element: Element) {
        let waiter: CheckedContinuation<Element?, Never>? = state.withLock { state in
            if !state.waiters.isEmpty { return state.waiters.removeLast() }
            state.items.append(element)
            return nil
        }
        waiter?.resume(returning: element)
    }

    /// The next element, or nil once `finish()` was called and the queue is empty.
    func next() async -> Element? {
        if let element = state.withLock({ $0.pop() }) { return element }
        return await withCheckedContinuation { continuation in
            let immediate: Element?? = state.withLock { state in
                if let element = state.pop() { return .some(element) }
                if state.finished { return .some(nil) }
                state.waiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Wakes every waiting worker with nil; later `next()` calls drain what is left, then nil.
    func finish() {
        let waiters = state.withLock { state in
            state.finished = true
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }
}
