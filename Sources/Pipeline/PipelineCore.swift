import Dispatch
import Kafka
import Synchronization

/// One input record on its way through the pipeline.
struct Job: Sendable {
    var record: KafkaRecord
    var generation: Int
    var lane: KeyedScheduler<Job>.Lane?
    var partition: TopicPartition { record.topicPartition }
}

enum WorkItem: Sendable {
    case process(Job)
    /// Produce again an output whose delivery failed.
    case resend(UInt)
}

/// The pipeline's shared state and its transitions. Called from the consumer's poll thread
/// (ingest, tick, revoke), the producer's poll thread (deliveries) and worker tasks.
final class PipelineCore: Sendable {
    struct Delivery: Sendable {
        var job: Job
        var record: OutgoingRecord
        var outcome: Outcome
    }

    struct State: Sendable {
        var trackers: [TopicPartition: OffsetTracker] = [:]
        var outstanding: [TopicPartition: Int] = [:]
        var generations: [TopicPartition: Int] = [:]
        var lastStored: [TopicPartition: Int64] = [:]
        var scheduler = KeyedScheduler<Job>()
        var deliveries: [UInt: Delivery] = [:]
        var nextToken: UInt = 1
        var accepting = true
        var wantsResume = false
        var revokeTarget: Set<TopicPartition>?
        var drainWaiter: CheckedContinuation<Void, Never>?
        var drainAbandoned = false
        var capacitySignal: DispatchSemaphore?
        var stats = PipelineStats()
    }

    let settings: PipelineSettings
    let queue = WorkQueue<WorkItem>()
    let state = Mutex(State())
    private let revokeDrained = DispatchSemaphore(value: 0)

    init(settings: PipelineSettings) {
        self.settings = settings
    }

    var stats: PipelineStats { state.withLock { $0.stats } }

    // MARK: consumer poll thread

    /// Admits records; returns true when the in-flight limit is reached (see `waitForCapacity`).
    func ingest(_ records: [KafkaRecord]) -> Bool {
        var ready: [Job] = []
        let pause: Bool = state.withLock { state in
            guard state.accepting else { return false }
            for record in records {
                let partition = record.topicPartition
                state.trackers[partition, default: OffsetTracker()].begin(record.offset)
                state.outstanding[partition, default: 0] += 1
                let lane = record.key.map { KeyedScheduler<Job>.Lane(topic: record.topic, partition: record.partition, key: $0) }
                let job = Job(record: record, generation: state.generations[partition, default: 0], lane: lane)
                if state.scheduler.admit(job, lane: lane) { ready.append(job) }
            }
            state.stats.consumed += records.count
            state.stats.inFlight += records.count
            return !state.stats.paused && state.stats.inFlight >= settings.maxInFlight
        }
        for job in ready { queue.push(.process(job)) }
        return pause
    }

    /// Offsets to store (positions that moved) and whether fetching may resume.
    func tick() -> (offsets: [TopicPartition: Int64], resume: Bool) {
        state.withLock { state in
            var offsets: [TopicPartition: Int64] = [:]
            for (partition, tracker) in state.trackers {
                if let position = tracker.position, state.lastStored[partition] != position {
                    offsets[partition] = position
                    state.lastStored[partition] = position
                }
            }
            var resume = false
            if state.stats.paused, state.stats.inFlight <= settings.resumeBelow {
                state.stats.paused = false
                state.wantsResume = false
                resume = true
            }
            return (offsets, resume)
        }
    }

    var isPaused: Bool { state.withLock { $0.stats.paused } }

    /// Blocks the poll thread until in-flight work falls to the resume level or `timeout`
    /// passes; returns false on timeout, when the caller pauses the partitions instead.
    /// Waiting first is much cheaper than pausing: librdkafka drops prefetched messages on
    /// pause and fetches them again on resume.
    func waitForCapacity(timeout: Duration) -> Bool {
        let signal: DispatchSemaphore? = state.withLock { state in
            guard state.stats.inFlight > settings.resumeBelow else { return nil }
            let signal = DispatchSemaphore(value: 0)
            state.capacitySignal = signal
            return signal
        }
        guard let signal else { return true }
        let milliseconds = Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        if signal.wait(timeout: .now() + .milliseconds(milliseconds)) == .success { return true }
        return state.withLock { state in
            state.capacitySignal = nil
            if state.stats.inFlight <= settings.resumeBelow { return true }
            state.stats.paused = true
            return false
        }
    }

    /// Abandons the queued work of `partitions`, waits (bounded) for their running work, and
    /// returns the offsets that are safe to commit for them. Blocks the poll thread.
    func revoke(_ partitions: Set<TopicPartition>) -> [TopicPartition: Int64] {
        let drained: Bool = state.withLock { state in
            let dropped = state.scheduler.abandon(partitions: partitions)
            for job in dropped { state.outstanding[job.partition, default: 1] -= 1 }
            state.stats.inFlight -= dropped.count
            state.revokeTarget = partitions
            return partitions.allSatisfy { state.outstanding[$0, default: 0] == 0 }
        }
        if !drained {
            _ = revokeDrained.wait(timeout: .now() + .milliseconds(Int(settings.revokeDrainTimeout.components.seconds * 1000)))
        }
        return state.withLock { state in
            state.revokeTarget = nil
            var offsets: [TopicPartition: Int64] = [:]
            for partition in partitions {
                if let position = state.trackers[partition]?.position { offsets[partition] = position }
                state.trackers[partition] = nil
                state.lastStored[partition] = nil
                state.generations[partition, default: 0] += 1
            }
            return offsets
        }
    }

    // MARK: workers and deliveries

    /// False when the job's partition was revoked since it was admitted.
    func isCurrent(_ job: Job) -> Bool {
        state.withLock { $0.generations[job.partition, default: 0] == job.generation }
    }

    /// Registers an output awaiting its delivery report; returns its token.
    func expectDelivery(of record: OutgoingRecord, for job: Job, outcome: Outcome) -> UInt {
        state.withLock { state in
            let token = state.nextToken
            state.nextToken += 1
            state.deliveries[token] = Delivery(job: job, record: record, outcome: outcome)
            return token
        }
    }

    func pendingDelivery(_ token: UInt) -> Delivery? {
        state.withLock { $0.deliveries[token] }
    }

    /// The job no longer holds its lane: start the lane's next job.
    func releaseLane(of job: Job) {
        let next = state.withLock { $0.scheduler.complete(lane: job.lane) }
        if let next { queue.push(.process(next)) }
    }

    /// A delivery report arrived. Returns true when the consumer should wake to resume.
    func delivered(token: UInt, success: Bool) -> Bool {
        let delivery: Delivery? = state.withLock { state in
            guard let delivery = state.deliveries[token] else { return nil }
            if success {
                state.deliveries[token] = nil
            } else {
                state.stats.deliveryFailures += 1
            }
            return delivery
        }
        guard let delivery else { return false }
        if !success {
            queue.push(.resend(token))
            return false
        }
        return finish(delivery.job, outcome: delivery.outcome)
    }

    enum Outcome: Sendable { case result, error, skipped, abandoned }

    /// Marks a job done. Returns true when fetching may resume and the poll thread should wake.
    @discardableResult
    func finish(_ job: Job, outcome: Outcome) -> Bool {
        let partition = job.partition
        var signalRevoke = false
        var waiter: CheckedContinuation<Void, Never>?
        var capacity: DispatchSemaphore?
        let wake: Bool = state.withLock { state in
            state.stats.inFlight -= 1
            switch outcome {
            case .result: state.stats.results += 1
            case .error: state.stats.errors += 1
            case .skipped: state.stats.skipped += 1
            case .abandoned: break
            }
            if outcome != .abandoned { state.stats.finished += 1 }
            if state.generations[partition, default: 0] == job.generation {
                state.outstanding[partition, default: 1] -= 1
                if outcome != .abandoned { state.trackers[partition]?.finish(job.record.offset) }
                if let target = state.revokeTarget, target.contains(partition),
                    target.allSatisfy({ state.outstanding[$0, default: 0] == 0 }) {
                    signalRevoke = true
                }
            }
            if state.stats.inFlight == 0, !state.accepting { waiter = state.drainWaiter.take() }
            if state.stats.inFlight <= settings.resumeBelow { capacity = state.capacitySignal.take() }
            if state.stats.paused, !state.wantsResume, state.stats.inFlight <= settings.resumeBelow {
                state.wantsResume = true
                return true
            }
            return false
        }
        if signalRevoke { revokeDrained.signal() }
        capacity?.signal()
        waiter?.resume()
        return wake
    }

    // MARK: shutdown

    /// Stops admitting records and waits until in-flight work is done, `abandonDrain()` is
    /// called (before or during the wait), or the task is cancelled.
    func drain() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done: Bool = state.withLock { state in
                    state.accepting = false
                    if state.stats.inFlight == 0 || state.drainAbandoned { return true }
                    state.drainWaiter = continuation
                    return false
                }
                if done { continuation.resume() }
            }
        } onCancel: {
            abandonDrain()
        }
    }

    /// Ends a `drain()` wait early (deadline passed, or cancelled).
    func abandonDrain() {
        let waiter = state.withLock { state in
            state.drainAbandoned = true
            return state.drainWaiter.take()
        }
        waiter?.resume()
    }
}
