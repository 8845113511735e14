import Kafka

/// The stream pipeline's core as a state machine: admission, per-lead lanes across
/// assignments, the in-flight bound and backpressure, offsets stored only past acknowledged
/// outputs, delivery failures, revocation, drain and the shutdown deadline, and the stall
/// watchdog. Pure: every transition takes what happened (and the instant) and returns what
/// the executor must do; `StreamPipeline` holds it in a `Mutex` and carries the actions out
/// after unlocking.
struct StreamEngine: Sendable {
    struct Settings: Sendable {
        var maxInFlight: Int
        var resumeBelow: Int
        var retry: DeliveryRetryPolicy
        var stallTimeout: Duration
    }

    /// Where one assigned partition stands.
    struct PartitionState: Sendable {
        /// Which assignment this is (each assignment of a partition gets a new number).
        var assignment: UInt64
        var tracker = OffsetTracker()
        /// Admitted jobs handed to the work queue and not started yet.
        var ready = 0
        /// Admitted jobs waiting behind another job of their lane.
        var waiting = 0
        /// Started jobs whose output is not acknowledged yet.
        var running = 0
        /// The position last confirmed stored with librdkafka.
        var stored: Int64?
        var halt: Halt?
        /// The last record admitted or event finished.
        var lastProgress: ContinuousClock.Instant
        /// Consumer lag from librdkafka's statistics.
        var lag: Int64 = 0
        var stalled = false

        var outstanding: Int { ready + waiting + running }
    }

    /// A partition that stopped moving: an input whose `ai.error` could not be produced.
    struct Halt: Sendable, Equatable {
        var partition: TopicPartition
        var offset: Int64
        var cause: String
    }

    enum Phase: Sendable, Equatable {
        case running
        /// SIGTERM: no admission; in-flight work finishes.
        case draining
        /// Past the shutdown deadline (or after a fatal producer error): queued work is
        /// dropped without moving offsets; only acknowledgements still count.
        case abandoning
    }

    let settings: Settings
    var partitions: [TopicPartition: PartitionState] = [:]
    /// Partitions being revoked: their running work may still finish and move their offsets.
    var revoking: [TopicPartition: PartitionState] = [:]
    /// The number of the latest revocation.
    private(set) var currentRevocation: UInt64 = 0
    private var nextAssignment: UInt64 = 1
    var scheduler = KeyedScheduler<StreamJob>()
    var outputs: [UInt: PendingOutput] = [:]
    var nextToken: UInt = 1
    private(set) var phase = Phase.running
    private(set) var backpressurePaused = false
    var resumeRequested = false
    var capacityWaiting = false
    private(set) var fatalProducerError: String?
    var stats = PipelineStats()

    init(settings: Settings) { self.settings = settings }

    var inFlight: Int { stats.inFlight }
    var halts: [Halt] { partitions.values.compactMap(\.halt).sorted { $0.partition.description < $1.partition.description } }
    var stalledPartitions: [TopicPartition] { partitions.filter(\.value.stalled).map(\.key).sorted { $0.description < $1.description } }

    // MARK: rebalances

    /// Partitions were assigned. librdkafka keeps a partition's pause across unassign/assign,
    /// so every one of them is explicitly resumed or paused from this machine's state.
    mutating func assigned(_ assigned: [TopicPartition], now: ContinuousClock.Instant) -> (resume: [TopicPartition], pause: [TopicPartition]) {
        for partition in assigned {
            partitions[partition] = PartitionState(assignment: nextAssignment, lastProgress: now)
            nextAssignment += 1
        }
        let fetching = phase == .running && !backpressurePaused
        return fetching ? (assigned, []) : ([], assigned)
    }

    /// Revocation starts: queued work of `revoked` is dropped; running work may finish until
    /// `revocationEnded`. Returns the revocation's number when there is running work to wait
    /// for (see `EngineEffects.revokeDrained`).
    mutating func revocationBegan(_ revoked: [TopicPartition]) -> UInt64? {
        currentRevocation += 1
        let revokedSet = Set(revoked)
        for partition in revoked {
            guard var state = partitions.removeValue(forKey: partition) else { continue }
            stats.inFlight -= state.ready + state.waiting
            state.ready = 0
            state.waiting = 0
            revoking[partition] = state
        }
        _ = scheduler.dropWaiting(where: revokedSet.contains)
        return revoking.values.contains { $0.running > 0 } ? currentRevocation : nil
    }

    /// True when no revoked partition has running work left.
    var revocationDrained: Bool { revoking.values.allSatisfy { $0.running == 0 } }

    /// The revocation's wait ended (drained or timed out): the offsets safe to commit for the
    /// revoked partitions. Their late work no longer moves any offset.
    mutating func revocationEnded() -> [TopicPartition: Int64] {
        var offsets: [TopicPartition: Int64] = [:]
        for (partition, state) in revoking {
            if let position = state.tracker.position, position != state.stored { offsets[partition] = position }
        }
        revoking.removeAll()
        return offsets
    }

    // MARK: admission and backpressure

    /// Admits fetched records. Records of partitions not assigned (or halted) are not admitted:
    /// their offsets are never stored, so they are fetched again by whoever owns them.
    mutating func ingest(_ records: [KafkaRecord], now: ContinuousClock.Instant) -> (ready: [StreamJob], waitForCapacity: Bool) {
        guard phase == .running else { return ([], false) }
        var ready: [StreamJob] = []
        for record in records {
            guard let index = partitions.index(forKey: record.topicPartition), partitions.values[index].halt == nil else {
                stats.notAdmitted += 1
                continue
            }
            partitions.values[index].tracker.begin(record.offset)
            partitions.values[index].lastProgress = now
            let lane = record.key.map { KeyedScheduler<StreamJob>.Lane(topic: record.topic, partition: record.partition, key: $0) }
            let job = StreamJob(record: record, assignment: partitions.values[index].assignment, lane: lane)
            if scheduler.admit(job, lane: lane) {
                partitions.values[index].ready += 1
                ready.append(job)
            } else {
                partitions.values[index].waiting += 1
            }
            stats.consumed += 1
            stats.inFlight += 1
        }
        let full = !backpressurePaused && stats.inFlight >= settings.maxInFlight
        if full { capacityWaiting = true }
        return (ready, full)
    }

    /// A capacity wait ended without enough work finishing: the partitions to pause.
    mutating func capacityWaitEnded() -> [TopicPartition] {
        capacityWaiting = false
        guard phase == .running, !backpressurePaused, stats.inFlight > settings.resumeBelow else { return [] }
        backpressurePaused = true
        resumeRequested = false
        stats.paused = true
        return Array(partitions.keys)
    }

    /// Once per poll-loop iteration: offsets to store, partitions to resume, and whether the
    /// set of stalled partitions changed (then read `stalledPartitions`).
    mutating func afterPoll(now: ContinuousClock.Instant) -> (store: [TopicPartition: Int64], resume: [TopicPartition], stallsChanged: Bool) {
        var store: [TopicPartition: Int64] = [:]
        var stallsChanged = false
        for index in partitions.indices {
            let state = partitions.values[index]
            if let position = state.tracker.position, position != state.stored { store[partitions.keys[index]] = position }
            let behind = state.lag > 0 || state.outstanding > 0 || state.halt != nil
            let stalled = phase == .running && behind && now - state.lastProgress >= settings.stallTimeout
            if stalled != state.stalled {
                partitions.values[index].stalled = stalled
                stallsChanged = true
            }
        }
        var resume: [TopicPartition] = []
        if backpressurePaused, phase == .running, stats.inFlight <= settings.resumeBelow {
            backpressurePaused = false
            resumeRequested = false
            stats.paused = false
            resume = partitions.filter { $0.value.halt == nil }.map(\.key)
        }
        return (store, resume, stallsChanged)
    }

    /// librdkafka accepted these stored offsets.
    mutating func offsetsStored(_ offsets: [TopicPartition: Int64]) {
        for (partition, offset) in offsets {
            partitions[partition]?.stored = offset
        }
    }

    /// Consumer lag per partition from librdkafka's statistics (for the stall watchdog).
    mutating func observedLag(_ lag: [TopicPartition: Int64]) {
        for (partition, value) in lag {
            partitions[partition]?.lag = value
        }
    }

    // MARK: shutdown

    /// SIGTERM: admission stops. Returns the partitions to pause and whether nothing is in flight.
    mutating func beginDrain() -> (pause: [TopicPartition], drained: Bool) {
        if phase == .running { phase = .draining }
        return (Array(partitions.keys), stats.inFlight == 0)
    }

    /// The deadline passed, or the producer failed fatally: queued and waiting work is dropped
    /// (offsets not moved); running work ends at its next step; acknowledgements still count.
    mutating func abandonQueued() -> EngineEffects {
        phase = .abandoning
        for index in partitions.indices {
            let dropped = partitions.values[index].ready + partitions.values[index].waiting
            stats.inFlight -= dropped
            stats.abandoned += dropped
            partitions.values[index].ready = 0
            partitions.values[index].waiting = 0
        }
        _ = scheduler.dropAllWaiting()
        var effects = EngineEffects()
        effects.drained = stats.inFlight == 0
        return effects
    }

    /// The producer reported a fatal error: nothing more can be produced.
    mutating func producerFailed(_ name: String) {
        if fatalProducerError == nil { fatalProducerError = name }
    }

    // MARK: jobs

    /// True when the job belongs to its partition's current assignment, or to a revocation
    /// still waiting for it.
    func belongsToLiveAssignment(_ job: StreamJob) -> Bool {
        partitions[job.partition]?.assignment == job.assignment || revoking[job.partition]?.assignment == job.assignment
    }

    /// A worker took the job from the queue. Returns false when it must not run (its partition
    /// was revoked, or the shutdown deadline passed); its lane is released then.
    mutating func start(_ job: StreamJob) -> (run: Bool, effects: EngineEffects) {
        if phase != .abandoning, let index = partitions.index(forKey: job.partition), partitions.values[index].assignment == job.assignment {
            partitions.values[index].ready -= 1
            partitions.values[index].running += 1
            return (true, .none)
        }
        // Its queued count was already dropped by the revocation or the deadline.
        var effects = EngineEffects()
        releaseLane(of: job, into: &effects)
        return (false, effects)
    }

    /// Hands the lane's next job, if any, to the queue.
    mutating func releaseLane(of job: StreamJob, into effects: inout EngineEffects) {
        guard let next = scheduler.complete(lane: job.lane) else { return }
        if let index = partitions.index(forKey: next.partition), partitions.values[index].assignment == next.assignment {
            partitions.values[index].waiting -= 1
            partitions.values[index].ready += 1
        }
        effects.next = next
    }
}
