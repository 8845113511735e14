import Kafka

/// Orders work per lane (a lead's key within one partition): a lane runs one job at a time,
/// in arrival order; different lanes run concurrently. Records without a key have no lane.
struct KeyedScheduler<Job>: Sendable where Job: Sendable {
    struct Lane: Hashable, Sendable {
        var topic: String
        var partition: Int32
        var key: [UInt8]
    }

    /// Jobs waiting behind a running job of the same lane, oldest first from `head`.
    private struct Waiting: Sendable {
        var jobs: [Job] = []
        var head = 0
    }
    private var waiting: [Lane: Waiting] = [:]
    private(set) var queuedCount = 0

    /// Returns true when the job may start now; otherwise it waits behind its lane.
    mutating func admit(_ job: Job, lane: Lane?) -> Bool {
        guard let lane else { return true }
        if waiting[lane] == nil {
            waiting[lane] = Waiting()
            return true
        }
        waiting[lane]!.jobs.append(job)
        queuedCount += 1
        return false
    }

    /// The lane's running job is done: returns the next job of the lane, if any.
    mutating func complete(lane: Lane?) -> Job? {
        guard let lane, let entry = waiting.index(forKey: lane) else { return nil }
        let head = waiting.values[entry].head
        guard head < waiting.values[entry].jobs.count else {
            waiting.remove(at: entry)
            return nil
        }
        // Mutate in place: copying the lane's array per step would be quadratic.
        let next = waiting.values[entry].jobs[head]
        waiting.values[entry].head += 1
        if waiting.values[entry].head == waiting.values[entry].jobs.count {
            waiting.values[entry].jobs.removeAll(keepingCapacity: true)
            waiting.values[entry].head = 0
        }
        queuedCount -= 1
        return next
    }

    /// Drops the jobs waiting in the lanes of `partitions` and returns how many. The lanes stay
    /// held by their running jobs: a lead's next job (of a later assignment) starts only when
    /// the running one completes, so one lead never has two jobs at once.
    mutating func dropWaiting(where matches: (TopicPartition) -> Bool) -> Int {
        var dropped = 0
        for index in waiting.indices where matches(TopicPartition(topic: waiting.keys[index].topic, partition: waiting.keys[index].partition)) {
            let count = waiting.values[index].jobs.count - waiting.values[index].head
            guard count > 0 else { continue }
            dropped += count
            waiting.values[index].jobs.removeAll(keepingCapacity: false)
            waiting.values[index].head = 0
        }
        queuedCount -= dropped
        return dropped
    }

    /// Drops every waiting job (shutdown past its deadline); returns how many.
    mutating func dropAllWaiting() -> Int { dropWaiting { _ in true } }
}
