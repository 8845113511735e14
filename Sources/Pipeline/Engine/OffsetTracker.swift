/// The offsets of one partition that were handed to processing, in consumption order. The
/// commit position only advances over a contiguous prefix of finished offsets.
struct OffsetTracker: Sendable {
    private var pending: [Int64] = []
    private var head = 0
    private var finished: Set<Int64> = []
    /// The next offset to consume after the finished prefix; nil until something finished.
    private(set) var position: Int64?

    var pendingCount: Int { pending.count - head }

    mutating func begin(_ offset: Int64) {
        pending.append(offset)
    }

    /// Marks `offset` finished; returns true when `position` moved.
    @discardableResult
    mutating func finish(_ offset: Int64) -> Bool {
        finished.insert(offset)
        var moved = false
        while head < pending.count, finished.remove(pending[head]) != nil {
            position = pending[head] + 1
            head += 1
            moved = true
        }
        if head > 1024, head * 2 > pending.count {
            pending.removeFirst(head)
            head = 0
        }
        return moved
    }
}
