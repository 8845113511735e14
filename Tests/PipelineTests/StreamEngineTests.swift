import Analysis
import Events
import Foundation
import Kafka
import Testing

@testable import Pipeline

/// The stream engine step by step, without I/O. Each defect of issue 10 that lives in the core
/// has a test here named after it.
@Suite struct StreamEngineTests {
    static let p0 = TopicPartition(topic: "in", partition: 0)
    static let p1 = TopicPartition(topic: "in", partition: 1)
    let start = ContinuousClock.now

    func makeEngine(maxInFlight: Int = 100, resumeBelow: Int = 75, attempts: Int = 3, stall: Duration = .seconds(30)) -> StreamEngine {
        var retry = DeliveryRetryPolicy()
        retry.maxAttempts = attempts
        return StreamEngine(settings: .init(maxInFlight: maxInFlight, resumeBelow: resumeBelow, retry: retry, stallTimeout: stall))
    }

    func record(_ partition: TopicPartition, _ offset: Int64, lead: String? = "lead") -> KafkaRecord {
        KafkaRecord(topic: partition.topic, partition: partition.partition, offset: offset, key: lead.map { Array($0.utf8) }, value: [])
    }

    let output = OutgoingRecord(topic: "out", key: nil, value: [1])

    /// Starts the job and hands its output to the producer; returns the delivery token.
    func run(_ job: StreamJob, _ engine: inout StreamEngine, kind: StreamEngine.OutputKind = .result) -> UInt? {
        guard engine.start(job).run else { return nil }
        guard case .send(let token) = engine.outputReady(job, record: output, kind: kind, now: start) else { return nil }
        return token
    }

    @Test func recordsOfUnassignedPartitionsAreNotAdmitted() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let (ready, _) = engine.ingest([record(Self.p0, 0), record(Self.p1, 0, lead: "other")], now: start)
        #expect(ready.map(\.partition) == [Self.p0])
        #expect(engine.stats.notAdmitted == 1)
        #expect(engine.inFlight == 1)
    }

    @Test func laneIsReleasedOnlyWhenTheBrokerAcknowledges() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let (ready, _) = engine.ingest([record(Self.p0, 0), record(Self.p0, 1)], now: start)
        #expect(ready.count == 1, "the second event of the lead waits")
        let token = try #require(run(ready[0], &engine))
        let (store, _, _) = engine.afterPoll(now: start)
        #expect(store.isEmpty, "handed to the producer is not acknowledged")
        #expect(engine.partitions[Self.p0]?.waiting == 1, "the lane is still held while the output is unacknowledged")
        let effects = engine.delivered(token, now: start)
        #expect(effects.next?.record.offset == 1)
        let step1 = engine.afterPoll(now: start)
        #expect(step1.store == [Self.p0: 1])
    }

    @Test func offsetsAreStoredAgainUntilLibrdkafkaAcceptedThem() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let job = engine.ingest([record(Self.p0, 7)], now: start).ready[0]
        let step2 = engine.delivered(try #require(run(job, &engine)), now: start)
        _ = step2
        let step3 = engine.afterPoll(now: start)
        #expect(step3.store == [Self.p0: 8])
        let step4 = engine.afterPoll(now: start)
        #expect(step4.store == [Self.p0: 8], "not confirmed: offered again")
        engine.offsetsStored([Self.p0: 8])
        let step5 = engine.afterPoll(now: start)
        #expect(step5.store.isEmpty)
    }

    @Test func backpressurePauseThenResumeOnce() throws {
        var engine = makeEngine(maxInFlight: 4, resumeBelow: 2)
        _ = engine.assigned([Self.p0, Self.p1], now: start)
        let records = (0..<4).map { record(Self.p0, Int64($0), lead: "l\($0)") }
        let (ready, full) = engine.ingest(records, now: start)
        #expect(full)
        let step6 = engine.capacityWaitEnded()
        #expect(Set(step6) == [Self.p0, Self.p1])
        #expect(engine.backpressurePaused)
        var tokens: [UInt] = []
        for job in ready { tokens.append(try #require(run(job, &engine))) }
        let step7 = engine.delivered(tokens[0], now: start)
        #expect(!step7.wakeConsumer)
        let step8 = engine.delivered(tokens[1], now: start)
        #expect(step8.wakeConsumer, "at the resume level the poll thread is woken")
        let step9 = engine.delivered(tokens[2], now: start)
        #expect(!step9.wakeConsumer, "once")
        let step10 = engine.afterPoll(now: start)
        #expect(Set(step10.resume) == [Self.p0, Self.p1])
    }

    /// Issue 10, finding 2: a pause spanning a rebalance left a re-assigned partition paused for good.
    @Test func partitionsAssignedDuringAPauseAreResumedWithTheRest() throws {
        var engine = makeEngine(maxInFlight: 2, resumeBelow: 1)
        _ = engine.assigned([Self.p0], now: start)
        let (ready, _) = engine.ingest([record(Self.p0, 0, lead: "a"), record(Self.p0, 1, lead: "b")], now: start)
        let step11 = engine.capacityWaitEnded()
        #expect(step11 == [Self.p0])
        _ = engine.revocationBegan([Self.p0])
        _ = engine.revocationEnded()
        let whilePaused = engine.assigned([Self.p0, Self.p1], now: start)
        #expect(Set(whilePaused.pause) == [Self.p0, Self.p1], "still over the limit: the new assignment is paused explicitly")
        for job in ready { _ = engine.abandon(job, now: start) }
        let step12 = engine.afterPoll(now: start)
        #expect(Set(step12.resume) == [Self.p0, Self.p1], "both are resumed, whatever librdkafka kept")
        let later = engine.assigned([Self.p1], now: start)
        #expect(later.resume == [Self.p1], "an assignment while fetching resumes the partition librdkafka may keep paused")
    }

    @Test func revocationWaitsForRunningWorkAndCommitsIt() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let (ready, _) = engine.ingest([record(Self.p0, 0, lead: "a"), record(Self.p0, 1, lead: "a"), record(Self.p0, 2, lead: "b")], now: start)
        let token = try #require(run(ready[0], &engine))
        let step13 = engine.revocationBegan([Self.p0])
        let number = try #require(step13)
        #expect(engine.inFlight == 1, "the queued and waiting jobs were dropped at once")
        let step14 = engine.start(ready[1])
        #expect(!step14.run, "a queued job of a revoked partition does not start")
        let effects = engine.delivered(token, now: start)
        #expect(effects.revokeDrained == number)
        let step15 = engine.revocationEnded()
        #expect(step15 == [Self.p0: 1])
    }

    /// Issue 10, finding 7: the outstanding count was never reset after a timed-out revocation.
    @Test func aTimedOutRevocationLeavesNothingBehind() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let old = engine.ingest([record(Self.p0, 0)], now: start).ready[0]
        let token = try #require(run(old, &engine))
        let step16 = engine.revocationBegan([Self.p0])
        #expect(step16 != nil)
        let step17 = engine.revocationEnded()
        #expect(step17.isEmpty, "timed out: nothing finished")
        _ = engine.assigned([Self.p0], now: start)
        let effects = engine.delivered(token, now: start)
        #expect(effects.revokeDrained == nil)
        #expect(engine.partitions[Self.p0]?.running == 0)
        let step18 = engine.afterPoll(now: start)
        #expect(step18.store.isEmpty, "the old assignment's late acknowledgement moves no offset of the new one")
        let step19 = engine.revocationBegan([Self.p0])
        #expect(step19 == nil, "the next revocation has nothing to wait for")
        #expect(engine.inFlight == 0)
    }

    /// Issue 10, finding 7: an old job released its lead's lane while a new job of the lead ran.
    @Test func oneLeadNeverRunsTwoJobsAcrossAssignments() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let old = engine.ingest([record(Self.p0, 0)], now: start).ready[0]
        let token = try #require(run(old, &engine))
        _ = engine.revocationBegan([Self.p0])
        _ = engine.revocationEnded()
        _ = engine.assigned([Self.p0], now: start)
        let (ready, _) = engine.ingest([record(Self.p0, 0), record(Self.p0, 1)], now: start)
        #expect(ready.isEmpty, "the lead's old job still runs: its new jobs wait")
        let step20 = engine.delivered(token, now: start)
        let next = try #require(step20.next)
        #expect(next.record.offset == 0)
        let step21 = engine.start(next)
        #expect(step21.run)
        #expect(engine.partitions[Self.p0]?.waiting == 1)
    }

    /// Issue 10, findings 1 and 4: failures were retried forever or counted as delivered.
    @Test func transientFailuresAreRetriedBoundedThenTheResultIsRejected() throws {
        var engine = makeEngine(attempts: 3)
        _ = engine.assigned([Self.p0], now: start)
        let job = engine.ingest([record(Self.p0, 0)], now: start).ready[0]
        let token = try #require(run(job, &engine))
        var delays: [Duration] = []
        for _ in 0..<2 {
            guard case .retry(let delay) = engine.deliveryFailed(token, failure: .transient("_MSG_TIMED_OUT"), now: start) else {
                Issue.record("expected a retry")
                return
            }
            delays.append(delay)
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200)])
        guard case .reject(_, let cause, let attempts) = engine.deliveryFailed(token, failure: .transient("_MSG_TIMED_OUT"), now: start) else {
            Issue.record("expected a rejection after the last attempt")
            return
        }
        #expect(cause == "_MSG_TIMED_OUT")
        #expect(attempts == 3)
        let step22 = engine.afterPoll(now: start)
        #expect(step22.store.isEmpty, "nothing is committed before the rejection is acknowledged")
        guard case .send(let again) = engine.rejectionReady(token, record: output, now: start) else {
            Issue.record("expected the rejection to be sent")
            return
        }
        _ = engine.delivered(again, now: start)
        #expect(engine.stats.rejected == 1)
        #expect(engine.stats.errors == 1)
        #expect(engine.stats.results == 0)
        let step23 = engine.afterPoll(now: start)
        #expect(step23.store == [Self.p0: 1])
    }

    @Test func aPermanentFailureRejectsAtOnce() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let job = engine.ingest([record(Self.p0, 0)], now: start).ready[0]
        let token = try #require(run(job, &engine))
        guard case .reject = engine.deliveryFailed(token, failure: .permanent("MSG_SIZE_TOO_LARGE"), now: start) else {
            Issue.record("expected a rejection")
            return
        }
    }

    /// The ai.error itself cannot be produced: the partition stops, visibly, and nothing past the
    /// input is committed.
    @Test func anUnpublishableErrorHaltsItsPartition() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0, Self.p1], now: start)
        let (ready, _) = engine.ingest([record(Self.p0, 5, lead: "a"), record(Self.p0, 6, lead: "b"), record(Self.p1, 0, lead: "c")], now: start)
        let failing = try #require(run(ready[0], &engine, kind: .error))
        let later = try #require(run(ready[1], &engine))
        let other = try #require(run(ready[2], &engine))
        guard case .halt(let halt, _) = engine.deliveryFailed(failing, failure: .permanent("_UNKNOWN_TOPIC"), now: start) else {
            Issue.record("expected a halt")
            return
        }
        #expect(halt == .init(partition: Self.p0, offset: 5, cause: "_UNKNOWN_TOPIC"))
        _ = engine.delivered(later, now: start)
        _ = engine.delivered(other, now: start)
        let step24 = engine.afterPoll(now: start)
        #expect(step24.store == [Self.p1: 1], "the halted partition's offset stays before the input")
        #expect(engine.halts == [halt])
        let step25 = engine.ingest([record(Self.p0, 7)], now: start)
        #expect(step25.ready.isEmpty, "a halted partition admits nothing")
        let step26 = engine.revocationBegan([Self.p0])
        #expect(step26 == nil, "a revocation does not wait for the halted input")
        #expect(engine.inFlight == 0)
    }

    @Test func aRejectionThatFailsHalts() throws {
        var engine = makeEngine(attempts: 1)
        _ = engine.assigned([Self.p0], now: start)
        let job = engine.ingest([record(Self.p0, 0)], now: start).ready[0]
        let token = try #require(run(job, &engine))
        _ = engine.deliveryFailed(token, failure: .permanent("MSG_SIZE_TOO_LARGE"), now: start)
        _ = engine.rejectionReady(token, record: output, now: start)
        guard case .halt = engine.deliveryFailed(token, failure: .transient("_MSG_TIMED_OUT"), now: start) else {
            Issue.record("expected a halt")
            return
        }
    }

    @Test func aFatalFailureAsksForShutdown() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let job = engine.ingest([record(Self.p0, 0)], now: start).ready[0]
        let token = try #require(run(job, &engine))
        guard case .fatal = engine.deliveryFailed(token, failure: .fatal("OUT_OF_ORDER_SEQUENCE_NUMBER"), now: start) else {
            Issue.record("expected fatal")
            return
        }
    }

    /// Issue 10, finding 6: queued work ran on after the shutdown deadline.
    @Test func pastTheDeadlineQueuedWorkIsAbandonedAndOnlyAcknowledgementsCount() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let (ready, _) = engine.ingest(
            [record(Self.p0, 0, lead: "a"), record(Self.p0, 1, lead: "a"), record(Self.p0, 2, lead: "b"), record(Self.p0, 3, lead: "c")], now: start
        )
        let pending = try #require(run(ready[0], &engine))
        let step27 = engine.start(ready[1])
        #expect(step27.run)
        let (pause, drainedAtOnce) = engine.beginDrain()
        #expect(pause == [Self.p0])
        #expect(!drainedAtOnce)
        let step28 = engine.ingest([record(Self.p0, 4, lead: "d")], now: start)
        #expect(step28.ready.isEmpty, "no admission while draining")
        let step29 = engine.abandonQueued()
        #expect(!step29.drained)
        let step30 = engine.start(ready[2])
        #expect(!step30.run, "queued work does not start after the deadline")
        guard case .dropped = engine.outputReady(ready[1], record: output, kind: .result, now: start) else {
            Issue.record("a running job's output is not produced after the deadline")
            return
        }
        let effects = engine.delivered(pending, now: start)
        #expect(effects.drained)
        let step31 = engine.afterPoll(now: start)
        #expect(step31.store == [Self.p0: 1], "the acknowledged output still commits")
    }

    @Test func drainingFinishesQueuedWork() throws {
        var engine = makeEngine()
        _ = engine.assigned([Self.p0], now: start)
        let (ready, _) = engine.ingest([record(Self.p0, 0, lead: "a"), record(Self.p0, 1, lead: "a")], now: start)
        _ = engine.beginDrain()
        let first = try #require(run(ready[0], &engine))
        let step32 = engine.delivered(first, now: start)
        let next = try #require(step32.next)
        let second = try #require(run(next, &engine))
        let step33 = engine.delivered(second, now: start)
        #expect(step33.drained)
    }

    @Test func theWatchdogFlagsAPartitionWithLagAndNoProgress() throws {
        var engine = makeEngine(stall: .seconds(30))
        _ = engine.assigned([Self.p0, Self.p1], now: start)
        engine.observedLag([Self.p0: 12, Self.p1: 0])
        let step34 = engine.afterPoll(now: start + .seconds(29))
        #expect(!step34.stallsChanged)
        let step35 = engine.afterPoll(now: start + .seconds(31))
        #expect(step35.stallsChanged)
        #expect(engine.stalledPartitions == [Self.p0], "no lag, no stall")
        _ = engine.ingest([record(Self.p0, 0)], now: start + .seconds(32))
        let step36 = engine.afterPoll(now: start + .seconds(33))
        #expect(step36.stallsChanged, "progress clears it")
        #expect(engine.stalledPartitions.isEmpty)
    }

    @Test func deliveryFailuresAreClassifiedAtTheSource() throws {
        #expect(DeliveryFailure(KafkaError(name: "_QUEUE_FULL", message: "", code: .queueFull)) == .queueFull)
        #expect(DeliveryFailure(KafkaError(name: "MSG_SIZE_TOO_LARGE", message: "", code: .messageSizeTooLarge)) == .permanent("MSG_SIZE_TOO_LARGE"))
        #expect(DeliveryFailure(KafkaError(name: "_MSG_TIMED_OUT", message: "", code: .messageTimedOut)) == .transient("_MSG_TIMED_OUT"))
        #expect(DeliveryFailure(KafkaError(name: "_UNKNOWN_TOPIC", message: "", code: .unknownTopic)) == .transient("_UNKNOWN_TOPIC"))
        #expect(DeliveryFailure(KafkaError(name: "X", message: "", isFatal: true)) == .fatal("X"))
        #expect(DeliveryFailure(KafkaError(name: "OTHER", message: "")) == .permanent("OTHER"))
    }

    @Test func backoffDoublesUpToItsCap() throws {
        var policy = DeliveryRetryPolicy()
        policy.maxBackoff = .milliseconds(500)
        #expect((1...5).map(policy.backoff(after:)) == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)])
    }
}

@Suite struct BoundedOutputTests {
    /// Issue 10, finding 1: a 52 KB message of digits yielded over 12,000 quantities and a
    /// result over 1 MB.
    @Test func aMessageOfDigitsYieldsABoundedResult() async throws {
        let digits = (0..<13_000).map { String($0 % 10) }.joined(separator: " ")
        let value = #"{"event_id":"e1","event_type":"lead.message","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"L","business_id":"B","message_text":"\#(digits)"}}"#
        let record = KafkaRecord(topic: "lead.message", partition: 0, offset: 3, key: Array("L".utf8), value: Array(value.utf8))
        let processor = EventProcessor(
            topics: TopicNames(), decoder: EventDecoder(), analyzer: RulesAnalyzer(engine: RulesEngine(), defaults: AnalysisDefaults(timeZone: TimeZone(identifier: "Asia/Kolkata")!, currency: "INR", country: "IN")), rawMaxBytes: 4096
        )
        guard case .publish(let output, let summary) = await processor.process(record) else {
            Issue.record("expected an output")
            return
        }
        #expect(summary.kind == .result)
        #expect(output.value.count < 16_384, "\(output.value.count) bytes")
        let document = try JSONParser.parse(output.value)
        #expect(document["event_id"]?.stringValue == OutputIdentity.eventID(topic: "lead.message", partition: 0, offset: 3, sourceEventID: "e1"))
    }

    @Test func aResultOverTheProducerLimitIsRejectedBeforeItIsSent() async throws {
        let value = #"{"event_id":"e2","event_type":"lead.message","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"L","business_id":"B","message_text":"need 2 laptops"}}"#
        let record = KafkaRecord(topic: "lead.message", partition: 1, offset: 9, key: Array("L".utf8), value: Array(value.utf8))
        let processor = EventProcessor(
            topics: TopicNames(), decoder: EventDecoder(), analyzer: RulesAnalyzer(engine: RulesEngine(), defaults: AnalysisDefaults(timeZone: TimeZone(identifier: "Asia/Kolkata")!, currency: "INR", country: "IN")), rawMaxBytes: 64,
            maxOutputBytes: 400
        )
        guard case .publish(let output, let summary) = await processor.process(record) else {
            Issue.record("expected an output")
            return
        }
        #expect(summary.kind == .error)
        #expect(summary.errorCode == .outputRejected)
        #expect(output.topic == "ai.error")
        #expect(output.key == Array("L".utf8))
    }
}
