import Dispatch
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Consume → apply in batches → store offsets, for sinks such as a database: one batch at a
/// time, in partition order. The handler returns only when the batch is durably applied (or
/// throws to say "stopping: commit nothing for it"). Fetching pauses when `maxQueued` records
/// wait; offsets advance only past applied records.
public final class BatchPipeline: Service, Sendable {
    public typealias Handler = @Sendable ([KafkaRecord]) async throws -> Void

    public struct Settings: Sendable {
        public var maxBatch = 500
        public var maxQueued = 20_000
        public var revokeDrainTimeout: Duration = .seconds(10)
        public init() {}
    }

    private struct State {
        var queue: [KafkaRecord] = []
        var head = 0
        var waiter: CheckedContinuation<Void, Never>?
        var positions: [TopicPartition: Int64] = [:]
        var stored: [TopicPartition: Int64] = [:]
        var applying: Set<TopicPartition> = []
        var revokeWaiting: Set<TopicPartition>?
        var paused = false
        var stopping = false
        var applied = 0
        var joined = false
        var assigned = 0

        var queuedCount: Int { queue.count - head }
    }

    private let properties: KafkaProperties
    private let topics: [String]
    private let settings: Settings
    private let logger: Logger
    private let handler: Handler
    private let state = Mutex(State())
    private let batchDone = DispatchSemaphore(value: 0)

    public init(properties: KafkaProperties, topics: [String], settings: Settings = Settings(), logger: Logger, handler: @escaping Handler) {
        self.properties = properties
        self.topics = topics
        self.settings = settings
        self.logger = logger
        self.handler = handler
    }

    /// Records applied since start.
    public var appliedCount: Int { state.withLock { $0.applied } }

    /// Whether the consumer has joined its group (a first assignment, possibly empty), and
    /// how many partitions it holds.
    public var membership: (joined: Bool, assignedPartitions: Int) { state.withLock { ($0.joined, $0.assigned) } }

    public func run() async throws {
        let consumerBox = ConsumerReference()
        let consumer = try KafkaConsumer(
            properties: properties, topics: topics, logger: logger,
            handlers: .init(
                records: { [self] records in
                    if admit(records), let consumer = consumerBox.consumer { consumer.pause(consumer.assignment) }
                },
                assigned: { [self] partitions in
                    let paused = state.withLock { state in
                        state.joined = true
                        state.assigned = consumerBox.consumer?.assignment.count ?? partitions.count
                        return state.paused
                    }
                    if paused { consumerBox.consumer?.pause(partitions) }
                },
                revoking: { [self] partitions in
                    consumerBox.consumer?.storeOffsets(revoke(Set(partitions)))
                    state.withLock { $0.assigned = max(0, $0.assigned - partitions.count) }
                },
                tick: { [self] in
                    let (offsets, resume) = offsetsToStoreAndResume()
                    guard let consumer = consumerBox.consumer else { return }
                    consumer.storeOffsets(offsets)
                    if resume { consumer.resume(consumer.assignment) }
                },
                error: { [logger] error in logger.warning("Kafka client error", metadata: ["error.code": "\(error.name)", "error": "\(error.message)"]) }
            )
        )
        consumerBox.set(consumer)
        logger.info("Batch pipeline started", metadata: ["topics": "\(topics)"])
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await applyLoop()
            } onGracefulShutdown: { [self] in
                stop()
            }
        } onCancel: { [self] in
            stop()
        }
        let (offsets, _) = offsetsToStoreAndResume()
        consumer.storeOffsets(offsets)
        await consumer.close()
        consumerBox.set(nil)  // the handlers hold the box: break the cycle so the handle is destroyed
        logger.info("Batch pipeline stopped", metadata: ["applied": "\(appliedCount)"])
    }

    /// Poll thread: queue records; true when fetching must pause.
    private func admit(_ records: [KafkaRecord]) -> Bool {
        let (waiter, pause): (CheckedContinuation<Void, Never>?, Bool) = state.withLock { state in
            guard !state.stopping else { return (nil, false) }
            state.queue.append(contentsOf: records)
            var pause = false
            if !state.paused, state.queuedCount >= settings.maxQueued {
                state.paused = true
                pause = true
            }
            return (state.waiter.take(), pause)
        }
        waiter?.resume()
        return pause
    }

    private func offsetsToStoreAndResume() -> ([TopicPartition: Int64], Bool) {
        state.withLock { state in
            var offsets: [TopicPartition: Int64] = [:]
            for (partition, position) in state.positions where state.stored[partition] != position {
                offsets[partition] = position
                state.stored[partition] = position
            }
            var resume = false
            if state.paused, state.queuedCount <= settings.maxQueued / 2 {
                state.paused = false
                resume = true
            }
            return (offsets, resume)
        }
    }

    /// Poll thread: drop the revoked partitions' queued records, wait (bounded) for a batch of
    /// theirs being applied, and return their safe offsets.
    private func revoke(_ partitions: Set<TopicPartition>) -> [TopicPartition: Int64] {
        let busy: Bool = state.withLock { state in
            let remaining = state.queue[state.head...].filter { !partitions.contains($0.topicPartition) }
            state.queue = Array(remaining)
            state.head = 0
            let busy = !state.applying.isDisjoint(with: partitions)
            if busy { state.revokeWaiting = partitions }
            return busy
        }
        if busy {
            _ = batchDone.wait(timeout: .now() + .milliseconds(Int(settings.revokeDrainTimeout.components.seconds * 1000)))
        }
        return state.withLock { state in
            state.revokeWaiting = nil
            var offsets: [TopicPartition: Int64] = [:]
            for partition in partitions {
                if let position = state.positions.removeValue(forKey: partition) { offsets[partition] = position }
                state.stored[partition] = nil
            }
            return offsets
        }
    }

    private func stop() {
        let waiter = state.withLock { state in
            state.stopping = true
            return state.waiter.take()
        }
        waiter?.resume()
    }

    private func nextBatch() async -> [KafkaRecord]? {
        while true {
            let batch: [KafkaRecord]?? = state.withLock { state in
                if state.stopping { return .some(nil) }
                guard state.queuedCount > 0 else { return nil }
                let end = min(state.queue.count, state.head + settings.maxBatch)
                let batch = Array(state.queue[state.head..<end])
                state.head = end
                if state.head == state.queue.count {
                    state.queue.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                state.applying = Set(batch.map(\.topicPartition))
                return .some(batch)
            }
            if let batch { return batch }
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state in
                    if state.stopping || state.queuedCount > 0 { return true }
                    state.waiter = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    private func applyLoop() async {
        while let batch = await nextBatch() {
            do {
                try await handler(batch)
            } catch {
                logger.info("Batch not applied: stopping", metadata: ["error": "\(error)"])
                state.withLock { $0.applying = [] }
                return
            }
            let signal: Bool = state.withLock { state in
                for record in batch {
                    state.positions[record.topicPartition] = max(state.positions[record.topicPartition] ?? 0, record.offset + 1)
                }
                state.applied += batch.count
                state.applying = []
                return state.revokeWaiting != nil
            }
            if signal { batchDone.signal() }
        }
    }
}

/// The consumer, once created; read from callbacks that may run before it exists.
private final class ConsumerReference: Sendable {
    private let value = Mutex<KafkaConsumer?>(nil)
    var consumer: KafkaConsumer? { value.withLock { $0 } }
    func set(_ consumer: KafkaConsumer?) { value.withLock { $0 = consumer } }
}
