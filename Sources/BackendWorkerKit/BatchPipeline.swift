import Dispatch
import Events
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// Consume → apply in batches → store offsets, for sinks such as a database: one batch at a
/// time, in partition order. The handler returns only when the batch is durably applied (or
/// throws to say "stopping: commit nothing for it"). The rules live in `BatchConsumerMachine`;
/// this class only carries out what its transitions return, after unlocking.
///
/// Threads: `records`, `assigned`, `revoking` and `afterPoll` run on the consumer's poll thread (a
/// revocation may block it, bounded by `revokeDrainTimeout`); the apply loop runs on the
/// cooperative pool and never blocks it.
public final class BatchPipeline: Service, Sendable {
    public typealias Handler = @Sendable ([KafkaRecord]) async throws -> Void

    public struct Settings: Sendable {
        public var maxBatch = 500
        public var maxQueued = 20_000
        /// How long a revocation waits for the batch that holds its partitions.
        public var revokeDrainTimeout: Duration = .seconds(10)
        /// How long SIGTERM lets the running batch finish before it is abandoned (not committed).
        public var shutdownDeadline: Duration = .seconds(25)
        public init() {}
    }

    private typealias Machine = BatchConsumerMachine<KafkaRecord>

    /// The machine and the executor's wake-ups, under one lock: a transition and the waiter it
    /// concerns are read or registered together, so no wake-up is lost or left stale.
    private struct State {
        var machine: Machine
        /// The apply loop waiting for records (resumed with nil: ask the machine again).
        var applierWaiter: CheckedContinuation<Machine.NextBatch?, Never>?
        /// The revocation waiting for the running batch (one semaphore per wait).
        var revokeWaiter: DispatchSemaphore?
        /// When graceful shutdown began: the final commit may use what is left of the deadline.
        var shutdownBegan: ContinuousClock.Instant?
    }

    private let properties: KafkaProperties
    private let topics: [String]
    private let settings: Settings
    private let logger: Logger
    private let handler: Handler
    private let state: Mutex<State>

    public init(properties: KafkaProperties, topics: [String], settings: Settings = Settings(), logger: Logger, handler: @escaping Handler) {
        self.properties = properties
        self.topics = topics
        self.settings = settings
        self.logger = logger
        self.handler = handler
        state = Mutex(State(machine: Machine(settings: .init(maxBatch: settings.maxBatch, maxQueued: settings.maxQueued))))
    }

    /// Records applied since start.
    public var appliedCount: Int { state.withLock { $0.machine.applied } }

    /// Whether the consumer has joined its group (a first assignment, possibly empty), and
    /// how many partitions it holds.
    public var membership: (joined: Bool, assignedPartitions: Int) { state.withLock { ($0.machine.joined, $0.machine.assigned.count) } }

    public func run() async throws {
        let reference = ConsumerReference()
        let consumer = try KafkaConsumer(
            properties: properties, topics: topics, logger: logger,
            handlers: .init(
                records: { [self] records in received(records, consumer: reference.consumer) },
                assigned: { [self] partitions in
                    let fetch = state.withLock { $0.machine.assigned(partitions) }
                    control(fetch, consumer: reference.consumer)
                },
                revoking: { [self] partitions in revoke(partitions, consumer: reference.consumer) },
                afterPoll: { [self] in afterPoll(consumer: reference.consumer) },
                error: { [logger] error in
                    logger.warning("Kafka client error", metadata: [LogFields.errorCode: "\(error.name)", BackendLogKeys.error: "\(error.message)"])
                }
            )
        )
        reference.set(consumer)
        logger.info("Batch pipeline started", metadata: [BackendLogKeys.topics: "\(topics)"])
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await applyUntilStopped()
            } onGracefulShutdown: { [self] in
                requestShutdown()
            }
        } onCancel: { [self] in
            requestShutdown()
        }
        let offsets = state.withLock { $0.machine.applierFinished() }
        store(offsets, consumer: consumer)
        let began = state.withLock { $0.shutdownBegan } ?? .now
        await consumer.close(finalCommitWait: max(.zero, began + settings.shutdownDeadline - .now))
        reference.set(nil)  // the handlers hold the reference: break the cycle so the handle is destroyed
        logger.info("Batch pipeline stopped", metadata: [BackendLogKeys.applied: "\(appliedCount)"])
    }

    // MARK: Poll thread

    private func received(_ records: [KafkaRecord], consumer: KafkaConsumer?) {
        let (admission, waiter) = state.withLock { state in
            let admission = state.machine.received(records)
            return (admission, admission.wakeApplier ? state.applierWaiter.take() : nil)
        }
        waiter?.resume(returning: nil)
        control(admission.fetch, consumer: consumer)
        if admission.dropped > 0 {
            logger.debug("Records not admitted (partition not assigned, or stopping)", metadata: [BackendLogKeys.dropped: "\(admission.dropped)"])
        }
    }

    private func afterPoll(consumer: KafkaConsumer?) {
        let decision = state.withLock { $0.machine.afterPoll() }
        control(decision.fetch, consumer: consumer)
        store(decision.store, consumer: consumer)
    }

    /// Drops the partitions' queued records, waits (bounded) for a batch of theirs being
    /// applied, and stores their safe offsets before librdkafka commits and hands them over.
    private func revoke(_ partitions: [TopicPartition], consumer: KafkaConsumer?) {
        let (ready, waiter): ([TopicPartition: Int64], DispatchSemaphore?) = state.withLock { state in
            switch state.machine.revoking(partitions) {
            case .store(let offsets):
                return (offsets, nil)
            case .waitForBatch:
                let semaphore = DispatchSemaphore(value: 0)
                state.revokeWaiter = semaphore
                return ([:], semaphore)
            }
        }
        var offsets = ready
        if let waiter {
            if waiter.wait(timeout: .now() + Self.dispatchInterval(settings.revokeDrainTimeout)) == .timedOut {
                logger.warning(
                    "Revocation did not wait for the batch being applied: its offsets stay uncommitted",
                    metadata: [BackendLogKeys.partitions: "\(partitions)"]
                )
            }
            offsets = state.withLock { state in
                state.revokeWaiter = nil
                return state.machine.revocationWaitEnded(partitions)
            }
        }
        // The machine has forgotten these partitions: a failed store is only logged.
        if let consumer, let failure = consumer.storeOffsets(offsets) {
            logger.warning("Storing the revoked partitions' offsets failed", metadata: [LogFields.errorCode: "\(failure.name)"])
        }
    }

    /// `duration` for `DispatchSemaphore.wait` (settings are bounded by the configuration).
    static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        .milliseconds(duration.wholeMillisecondsClamped)
    }

    private func control(_ fetch: Machine.FetchControl, consumer: KafkaConsumer?) {
        guard let consumer else { return }
        switch fetch {
        case .none: break
        case .pause(let partitions): consumer.pause(partitions)
        case .resume(let partitions): consumer.resume(partitions)
        }
    }

    private func store(_ offsets: [TopicPartition: Int64], consumer: KafkaConsumer?) {
        guard let consumer, !offsets.isEmpty else { return }
        let failure = consumer.storeOffsets(offsets)
        state.withLock { $0.machine.offsetsStored(offsets, succeeded: failure == nil) }
        if let failure {
            logger.warning("Storing offsets failed; they are offered again", metadata: [LogFields.errorCode: "\(failure.name)"])
        }
    }

    // MARK: Apply loop

    private func requestShutdown() {
        let now = ContinuousClock.now
        let waiter = state.withLock { state in
            if state.shutdownBegan == nil { state.shutdownBegan = now }
            return state.machine.shutdownRequested() ? state.applierWaiter.take() : nil
        }
        waiter?.resume(returning: nil)
    }

    /// The apply loop, and beside it the shutdown deadline: once SIGTERM has waited
    /// `shutdownDeadline`, the running batch is cancelled (abandoned, nothing of it stored).
    private func applyUntilStopped() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.applyLoop() }
            group.addTask {
                guard (try? await gracefulShutdown()) != nil else { return }
                try? await Task.sleep(for: self.settings.shutdownDeadline)
                if self.state.withLock({ $0.machine.shutdownDeadlinePassed() }) {
                    self.logger.warning("Shutdown deadline passed: abandoning the batch being applied (not committed)")
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func applyLoop() async {
        while let batch = await nextBatch() {
            let applied: Bool
            do {
                try await handler(batch)
                applied = true
            } catch {
                logger.info("Batch not applied: stopping", metadata: [BackendLogKeys.error: "\(error)"])
                applied = false
            }
            let revoker = state.withLock { state in
                (applied ? state.machine.batchApplied() : state.machine.batchAbandoned()) ? state.revokeWaiter.take() : nil
            }
            revoker?.signal()
            if !applied { return }
        }
    }

    private func nextBatch() async -> [KafkaRecord]? {
        while true {
            let next = await withCheckedContinuation { (continuation: CheckedContinuation<Machine.NextBatch?, Never>) in
                let immediate: Machine.NextBatch? = state.withLock { state in
                    let next = state.machine.nextBatch()
                    if case .wait = next {
                        state.applierWaiter = continuation
                        return nil
                    }
                    return next
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
            switch next {
            case .apply(let batch)?: return batch
            case .finish?: return nil
            case .wait?, nil: continue
            }
        }
    }
}

/// The consumer, once created; read from callbacks that may run before it exists.
private final class ConsumerReference: Sendable {
    private let value = Mutex<KafkaConsumer?>(nil)
    var consumer: KafkaConsumer? { value.withLock { $0 } }
    func set(_ consumer: KafkaConsumer?) { value.withLock { $0 = consumer } }
}
