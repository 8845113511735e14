import Kafka
import Testing

@testable import BackendWorkerKit

/// A consumed record as the machine sees it.
struct Position: PartitionedRecord, Equatable {
    var topicPartition: TopicPartition
    var offset: Int64
}

let p0 = TopicPartition(topic: "ai.process.result", partition: 0)
let p1 = TopicPartition(topic: "ai.process.result", partition: 1)
let p2 = TopicPartition(topic: "ai.error", partition: 0)

func records(_ partition: TopicPartition, _ offsets: ClosedRange<Int64>) -> [Position] {
    offsets.map { Position(topicPartition: partition, offset: $0) }
}

typealias Machine = BatchConsumerMachine<Position>

extension Machine.NextBatch {
    var batch: [Position]? {
        if case .apply(let batch) = self { return batch }
        return nil
    }
}

/// Step-by-step tests of backend-worker's batch consumer, without Kafka or PostgreSQL.
@Suite struct BatchConsumerMachineTests {
    func machine(maxBatch: Int = 10, maxQueued: Int = 100, assigned: [TopicPartition] = [p0, p1]) -> Machine {
        var machine = Machine(settings: .init(maxBatch: maxBatch, maxQueued: maxQueued))
        _ = machine.assigned(assigned)
        return machine
    }

    @Test func batchesFollowArrivalOrderUpToMaxBatch() {
        var machine = machine(maxBatch: 3)
        _ = machine.received(records(p0, 0...1) + records(p1, 0...2))
        #expect(machine.nextBatch().batch == records(p0, 0...1) + records(p1, 0...0))
        #expect(machine.batchApplied() == false)
        #expect(machine.nextBatch().batch == records(p1, 1...2))
        _ = machine.batchApplied()
        guard case .wait = machine.nextBatch() else { Issue.record("expected to wait"); return }
        #expect(machine.applied == 5)
    }

    @Test func offsetsMoveOnlyPastCommittedBatches() {
        var machine = machine(maxBatch: 2)
        _ = machine.received(records(p0, 5...8))
        _ = machine.nextBatch()
        #expect(machine.afterPoll().store.isEmpty, "nothing committed yet")
        _ = machine.batchApplied()
        _ = machine.nextBatch()
        #expect(machine.afterPoll().store == [p0: 7], "past the committed batch, not the one being applied")
    }

    @Test func anApplierWaitingForRecordsIsWoken() {
        var machine = machine()
        guard case .wait = machine.nextBatch() else { Issue.record("expected to wait"); return }
        #expect(machine.received(records(p0, 0...0)).wakeApplier)
        #expect(machine.received(records(p0, 1...1)).wakeApplier == false, "woken once")
    }

    @Test func fetchingPausesAtMaxQueuedAndResumesAtHalf() {
        var machine = machine(maxBatch: 30, maxQueued: 50)
        #expect(machine.received(records(p0, 0...48)).fetch == .none)
        #expect(machine.received(records(p1, 0...0)).fetch == .pause([p0, p1]))
        #expect(machine.afterPoll().fetch == .none)
        _ = machine.nextBatch()
        #expect(machine.afterPoll().fetch == .resume([p0, p1]), "20 queued ≤ 25")
    }

    // Issue 10 §2: librdkafka 2.0.2 keeps a partition's pause across unassign/assign. A partition
    // revoked while paused and assigned again after the resume was never fetched again.
    @Test func aPartitionAssignedAfterAPauseIsResumedExplicitly() {
        var machine = machine(maxBatch: 100, maxQueued: 10)
        #expect(machine.received(records(p0, 0...9)).fetch == .pause([p0, p1]))
        #expect(machine.revoking([p0, p1]) == .store([:]))
        #expect(machine.afterPoll().fetch == .resume([]), "the queue emptied with nothing assigned")
        #expect(machine.assigned([p0, p1]) == .resume([p0, p1]), "librdkafka still remembers the pause")
    }

    @Test func aPartitionAssignedWhilePausedIsPaused() {
        var machine = machine(maxBatch: 100, maxQueued: 10, assigned: [p0])
        _ = machine.received(records(p0, 0...9))
        #expect(machine.assigned([p2]) == .pause([p2]))
        _ = machine.nextBatch()
        #expect(machine.afterPoll().fetch == .resume([p0, p2]), "the resume covers the partition assigned during the pause")
    }

    // Issue 10 §7: records were admitted without checking that their partition is still assigned.
    @Test func recordsOfPartitionsNotAssignedAreDropped() {
        var machine = machine(assigned: [p0])
        let admission = machine.received(records(p0, 0...1) + records(p1, 0...2))
        #expect(admission.admitted == 2)
        #expect(admission.dropped == 3)
        #expect(machine.nextBatch().batch == records(p0, 0...1))
    }

    // Issue 10 §7: `lastStored` moved before `storeOffsets` succeeded, so a failed store was never retried.
    @Test func aFailedStoreIsOfferedAgain() {
        var machine = machine()
        _ = machine.received(records(p0, 0...2))
        _ = machine.nextBatch()
        _ = machine.batchApplied()
        let first = machine.afterPoll().store
        #expect(first == [p0: 3])
        machine.offsetsStored(first, succeeded: false)
        #expect(machine.afterPoll().store == [p0: 3])
        machine.offsetsStored([p0: 3], succeeded: true)
        #expect(machine.afterPoll().store.isEmpty)
    }

    @Test func revocationDropsQueuedRecordsAndReturnsSafeOffsets() {
        var machine = machine(maxBatch: 2)
        _ = machine.received(records(p0, 0...3) + records(p1, 0...1))
        _ = machine.nextBatch()
        _ = machine.batchApplied()  // p0 0...1 committed
        #expect(machine.revoking([p0]) == .store([p0: 2]))
        #expect(machine.nextBatch().batch == records(p1, 0...1), "p0's queued records are gone")
        #expect(machine.assigned == [p1])
    }

    @Test func revocationWaitsForTheBatchHoldingThePartition() {
        var machine = machine()
        _ = machine.received(records(p0, 0...2))
        _ = machine.nextBatch()
        #expect(machine.revoking([p0]) == .waitForBatch)
        let wakeRevoker = machine.batchApplied()
        #expect(wakeRevoker, "the waiting revocation is woken")
        #expect(machine.revocationWaitEnded([p0]) == [p0: 3])
    }

    // Issue 10 §7: after a revocation gave up waiting, the batch's late end still moved the
    // revoked partition's offset (stored for a partition this member no longer owns), and a
    // later revocation found a stale wake-up.
    @Test func aBatchEndingAfterTheRevocationGaveUpMovesNoOffsetOfTheRevokedPartition() {
        var machine = machine()
        _ = machine.received(records(p0, 0...2) + records(p1, 0...1))
        _ = machine.nextBatch()
        #expect(machine.revoking([p0]) == .waitForBatch)
        #expect(machine.revocationWaitEnded([p0]) == [:], "timed out: nothing of p0 is safe")
        #expect(machine.batchApplied() == false, "no revocation waits any more: no stale wake-up")
        #expect(machine.afterPoll().store == [p1: 2])
        #expect(machine.revoking([p1]) == .store([p1: 2]), "the next revocation does not wait")
    }

    @Test func shutdownStartsNoNewBatchAndAdmitsNothing() {
        var machine = machine(maxBatch: 2)
        _ = machine.received(records(p0, 0...3))
        _ = machine.nextBatch()
        #expect(machine.shutdownRequested() == false, "the applier is busy, not waiting")
        #expect(machine.received(records(p1, 0...0)).admitted == 0)
        _ = machine.batchApplied()
        guard case .finish = machine.nextBatch() else { Issue.record("expected finish"); return }
        #expect(machine.applierFinished() == [p0: 2])
    }

    @Test func shutdownWakesAWaitingApplier() {
        var machine = machine()
        _ = machine.nextBatch()
        let wakeApplier = machine.shutdownRequested()
        #expect(wakeApplier)
    }

    // Issue 10 §6: the shutdown deadline ended only the wait; the running work went on.
    @Test func theShutdownDeadlineAbandonsTheRunningBatch() {
        var machine = machine()
        _ = machine.received(records(p0, 0...2))
        _ = machine.nextBatch()
        _ = machine.shutdownRequested()
        #expect(machine.shutdownDeadlinePassed(), "a batch is still being applied: cancel it")
        _ = machine.batchAbandoned()
        #expect(machine.applierFinished().isEmpty, "nothing of the abandoned batch is stored")
    }

    @Test func theDeadlineAbandonsNothingWhenTheBatchEnded() {
        var machine = machine()
        _ = machine.received(records(p0, 0...2))
        _ = machine.nextBatch()
        _ = machine.shutdownRequested()
        _ = machine.batchApplied()
        #expect(machine.shutdownDeadlinePassed() == false)
        #expect(machine.applierFinished() == [p0: 3])
    }

    @Test func aFailedBatchStopsTheApplierAndStoresNothingOfIt() {
        var machine = machine(maxBatch: 2)
        _ = machine.received(records(p0, 0...3))
        _ = machine.nextBatch()
        _ = machine.batchApplied()
        _ = machine.nextBatch()
        _ = machine.batchAbandoned()
        guard case .finish = machine.nextBatch() else { Issue.record("expected finish"); return }
        #expect(machine.applierFinished() == [p0: 2])
    }
}
