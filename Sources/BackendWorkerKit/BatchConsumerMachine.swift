import Kafka

/// backend-worker's batch consumer as a pure state machine: which records wait, which batch is
/// being applied, which offsets are safe to store, whether fetching is paused, and what
/// revocation and shutdown must do. Every transition returns what the executor
/// (`BatchPipeline`) has to do after unlocking; nothing here performs I/O, so each rule is
/// tested step by step (`BatchConsumerMachineTests`).
///
/// The rules:
/// - Records are admitted only for assigned partitions and only while running; fetching pauses
///   when `maxQueued` wait and resumes at half of it.
/// - One batch at a time, up to `maxBatch` records in arrival (partition) order.
/// - A partition's offset moves only past a batch whose transaction committed, and counts as
///   stored only once `offsetsStored(_:succeeded: true)` says so.
/// - librdkafka 2.0.2 keeps a partition's pause across unassign/assign, so every assignment is
///   told explicitly to pause or resume from the machine's own state.
/// - A revocation drops the partitions' queued records and waits (bounded) for a batch that
///   holds them; a batch that ends after the wait gave up moves no offset of those partitions.
/// - Shutdown starts no new batch; the running one may finish until the deadline, then it is
///   abandoned (nothing of it stored).
struct BatchConsumerMachine<Record: PartitionedRecord> {
    struct Settings: Sendable, Equatable {
        var maxBatch: Int
        var maxQueued: Int
        /// Fetching resumes when the queue falls to this level.
        var resumeAt: Int { maxQueued / 2 }
    }

    enum Phase: Equatable {
        case running
        /// Shutdown requested: no new batch; the running one may finish.
        case draining
        /// The applier has exited.
        case finished
    }

    /// What the poll thread does with fetching for some partitions.
    enum FetchControl: Equatable {
        case none
        case pause(Set<TopicPartition>)
        case resume(Set<TopicPartition>)
    }

    struct Admission: Equatable {
        var admitted: Int
        var dropped: Int
        var fetch: FetchControl
        /// The applier waits for records: wake it.
        var wakeApplier: Bool
    }

    enum Revocation: Equatable {
        /// Store these offsets, then let the revocation proceed.
        case store([TopicPartition: Int64])
        /// A batch holding these partitions is being applied: wait (bounded) for
        /// `batchApplied`'s `wakeRevoker`, then call `revocationWaitEnded`.
        case waitForBatch
    }

    enum NextBatch {
        case apply([Record])
        /// Nothing queued: suspend until `wakeApplier`.
        case wait
        /// Shutting down: the applier exits.
        case finish
    }

    /// What the poll thread does after a poll: offsets to store, fetching to resume.
    struct PollFollowUp: Equatable {
        var store: [TopicPartition: Int64]
        var fetch: FetchControl
    }

    let settings: Settings
    private(set) var phase = Phase.running
    private(set) var assigned: Set<TopicPartition> = []
    /// Queued record positions, in arrival order; `head` is the next to hand out.
    private var queue: [Record] = []
    private var head = 0
    /// The batch being applied.
    private(set) var applying: [Record]?
    private var applierWaiting = false
    /// Next offset to consume per partition, past every committed batch.
    private var positions: [TopicPartition: Int64] = [:]
    /// What librdkafka has accepted as stored.
    private var stored: [TopicPartition: Int64] = [:]
    private(set) var paused = false
    /// Partitions whose revocation waits for the running batch.
    private var revoking: Set<TopicPartition>?
    private(set) var joined = false
    private(set) var applied = 0

    init(settings: Settings) { self.settings = settings }

    var queuedCount: Int { queue.count - head }

    // MARK: Poll thread

    /// Records fetched by the poll thread.
    mutating func received(_ records: [Record]) -> Admission {
        guard phase == .running else { return Admission(admitted: 0, dropped: records.count, fetch: .none, wakeApplier: false) }
        let before = queue.count
        for record in records where assigned.contains(record.topicPartition) { queue.append(record) }
        let admitted = queue.count - before
        var fetch = FetchControl.none
        if !paused, queuedCount >= settings.maxQueued {
            paused = true
            fetch = .pause(assigned)
        }
        let wake = applierWaiting && admitted > 0
        if wake { applierWaiting = false }
        return Admission(admitted: admitted, dropped: records.count - admitted, fetch: fetch, wakeApplier: wake)
    }

    /// Partitions added to the assignment: fetch them according to the machine's pause state,
    /// whatever librdkafka remembers from an earlier assignment.
    mutating func assigned(_ partitions: [TopicPartition]) -> FetchControl {
        joined = true
        let added = Set(partitions)
        assigned.formUnion(added)
        guard !added.isEmpty else { return .none }
        return paused ? .pause(added) : .resume(added)
    }

    mutating func revoking(_ partitions: [TopicPartition]) -> Revocation {
        let revoked = Set(partitions)
        dropQueued { revoked.contains($0.topicPartition) }
        if let applying, applying.contains(where: { revoked.contains($0.topicPartition) }) {
            revoking = revoked
            return .waitForBatch
        }
        return .store(release(revoked))
    }

    /// The bounded wait of a revocation ended (the batch finished, or the wait timed out).
    mutating func revocationWaitEnded(_ partitions: [TopicPartition]) -> [TopicPartition: Int64] {
        revoking = nil
        return release(Set(partitions))
    }

    /// Once per poll-loop iteration: offsets to store, and whether fetching resumes.
    mutating func afterPoll() -> PollFollowUp {
        var store: [TopicPartition: Int64] = [:]
        for (partition, position) in positions where stored[partition] != position { store[partition] = position }
        var fetch = FetchControl.none
        if paused, queuedCount <= settings.resumeAt {
            paused = false
            fetch = .resume(assigned)
        }
        return PollFollowUp(store: store, fetch: fetch)
    }

    /// librdkafka's answer to a `storeOffsets` of `offsets`; failed ones are offered again.
    mutating func offsetsStored(_ offsets: [TopicPartition: Int64], succeeded: Bool) {
        guard succeeded else { return }
        for (partition, offset) in offsets where assigned.contains(partition) { stored[partition] = offset }
    }

    // MARK: Applier

    mutating func nextBatch() -> NextBatch {
        guard phase == .running else { return .finish }
        guard queuedCount > 0 else {
            applierWaiting = true
            return .wait
        }
        let end = min(queue.count, head + settings.maxBatch)
        let batch = Array(queue[head..<end])
        head = end
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
        applying = batch
        return .apply(batch)
    }

    /// The batch's transaction committed. True when a revocation waits for it (wake it).
    mutating func batchApplied() -> Bool {
        guard let batch = applying else { return false }
        applying = nil
        for record in batch where assigned.contains(record.topicPartition) {
            positions[record.topicPartition] = max(positions[record.topicPartition] ?? 0, record.offset + 1)
        }
        applied += batch.count
        return revoking != nil
    }

    /// The batch was not applied (the applier is stopping): nothing of it is stored. True when
    /// a revocation waits for it.
    mutating func batchAbandoned() -> Bool {
        applying = nil
        phase = .draining
        return revoking != nil
    }

    // MARK: Shutdown

    /// SIGTERM or cancellation: no new batch. True when the applier waits (wake it to exit).
    mutating func shutdownRequested() -> Bool {
        if phase == .running { phase = .draining }
        let wake = applierWaiting
        applierWaiting = false
        return wake
    }

    /// The shutdown deadline passed: true when a batch is still being applied (cancel it).
    func shutdownDeadlinePassed() -> Bool { phase != .running && applying != nil }

    /// The applier exited: the offsets to store before the consumer closes.
    mutating func applierFinished() -> [TopicPartition: Int64] {
        phase = .finished
        return afterPoll().store
    }

    // MARK: Helpers

    private mutating func dropQueued(where shouldDrop: (Record) -> Bool) {
        queue = queue[head...].filter { !shouldDrop($0) }
        head = 0
    }

    /// Forgets `partitions` and returns their safe offsets.
    private mutating func release(_ partitions: Set<TopicPartition>) -> [TopicPartition: Int64] {
        var offsets: [TopicPartition: Int64] = [:]
        for partition in partitions {
            if let position = positions.removeValue(forKey: partition), stored[partition] != position { offsets[partition] = position }
            stored[partition] = nil
            assigned.remove(partition)
        }
        return offsets
    }
}

/// What the machine needs of a record: where it sits.
protocol PartitionedRecord: Sendable {
    var topicPartition: TopicPartition { get }
    var offset: Int64 { get }
}

extension KafkaRecord: PartitionedRecord {}
