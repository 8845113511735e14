import Kafka

/// Orders work per lane (a lead's key within one partition): a lane runs one job at a time,
/// in arrival order; different lanes run concurrently. Records without a key have no lane.
struct KeyedScheduler<Job>: Sendable where Job: Sendable {
    struct Lane: Hashable, Sendable {
        var topic: String
        var partition: Int32
        var key: [UInt8]
    }

    /// Jobs waiting behind a running job of the same lane, oldest first.
    private var waiting: [Lane: [Job]] = [:]
    private(set) var queuedCount = 0

    /// Returns true when the job may start now; otherwise it waits behind its lane.
    mutating func admit(_ job: Job, lane: Lane?) -> Bool {
        guard let lane else { return true }
        if waiting[lane] == nil {
            waiting[lane] = []
            return true
        }
        waiting[lane]!.append(job)
        queuedCount += 1
        return false
    }

    /// The lane's running job is done: returns the next job of the lane, if any.
    mutating func complete(lane: Lane?) -> Job? {
        guard let lane, var queue = waiting[lane] else { return nil }
        guard !queue.isEmpty else {
            waiting[lane] = nil
            return nil
        }
        let next = queue.removeFirst()
        waiting[lane] = queue
        queuedCount -= 1
        return next
    }

    /// Drops the waiting jobs of the given partitions and forgets their lanes; returns them.
    mutating func abandon(partitions: Set<TopicPartition>) -> [Job] {
        var dropped: [Job] = []
        for lane in waiting.keys where partitions.contains(TopicPartition(topic: lane.topic, partition: lane.partition)) {
            dropped.append(contentsOf: waiting.removeValue(forKey: lane) ?? [])
        }
        queuedCount -= dropped.count
        return dropped
    }
}
