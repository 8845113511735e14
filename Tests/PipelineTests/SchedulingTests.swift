import Kafka
import Testing

@testable import Pipeline

@Suite struct OffsetTrackerTests {
    @Test func advancesOnlyOverContiguousPrefix() {
        var tracker = OffsetTracker()
        for offset in [10, 11, 12, 15] as [Int64] { tracker.begin(offset) }
        let r1 = tracker.finish(11)
        #expect(r1 == false)
        #expect(tracker.position == nil)
        let r2 = tracker.finish(10)
        #expect(r2 == true)
        #expect(tracker.position == 12)
        let r3 = tracker.finish(15)
        #expect(r3 == false)
        #expect(tracker.position == 12)
        let r4 = tracker.finish(12)
        #expect(r4 == true)
        #expect(tracker.position == 16)
        #expect(tracker.pendingCount == 0)
    }

    /// Property: for any completion order the position is one past the longest finished prefix.
    @Test func positionMatchesOracleForRandomOrders() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var tracker = OffsetTracker()
            let offsets = (0..<Int64(50)).map { $0 * 2 }
            offsets.forEach { tracker.begin($0) }
            var finished = Set<Int64>()
            for offset in offsets.shuffled(using: &generator) {
                tracker.finish(offset)
                finished.insert(offset)
                let prefix = offsets.prefix { finished.contains($0) }
                #expect(tracker.position == prefix.last.map { $0 + 1 })
            }
        }
    }
}

@Suite struct KeyedSchedulerTests {
    typealias Lane = KeyedScheduler<Int>.Lane

    @Test func runsOneJobPerLaneInOrder() {
        var scheduler = KeyedScheduler<Int>()
        let a = Lane(topic: "t", partition: 0, key: [1])
        let b = Lane(topic: "t", partition: 0, key: [2])
        let started = [
            scheduler.admit(1, lane: a), scheduler.admit(2, lane: a), scheduler.admit(3, lane: a),
            scheduler.admit(4, lane: b), scheduler.admit(5, lane: nil),
        ]
        #expect(started == [true, false, false, true, true], "one job per lane; other leads and keyless records run at once")
        let next = [scheduler.complete(lane: a), scheduler.complete(lane: a), scheduler.complete(lane: a)]
        #expect(next == [2, 3, nil])
        let restarted = scheduler.admit(6, lane: a)
        #expect(restarted, "an idle lane starts at once")
        #expect(scheduler.queuedCount == 0)
    }

    @Test func droppingWaitingJobsKeepsTheRunningJobsLane() {
        var scheduler = KeyedScheduler<Int>()
        let revoked = Lane(topic: "t", partition: 1, key: [1])
        let kept = Lane(topic: "t", partition: 2, key: [1])
        _ = scheduler.admit(1, lane: revoked)
        _ = scheduler.admit(2, lane: revoked)
        _ = scheduler.admit(3, lane: kept)
        _ = scheduler.admit(4, lane: kept)
        let dropped = scheduler.dropWaiting { $0 == TopicPartition(topic: "t", partition: 1) }
        #expect(dropped == 1)
        #expect(scheduler.queuedCount == 1)
        let later = scheduler.admit(5, lane: revoked)
        #expect(!later, "job 1 still runs: the lead's next job waits for it")
        #expect(scheduler.complete(lane: revoked) == 5)
        #expect(scheduler.complete(lane: kept) == 4)
    }
}
