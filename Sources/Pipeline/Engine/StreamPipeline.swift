import Events
import Kafka
import Logging
import ServiceLifecycle
import Synchronization

/// The consume → process → produce loop as a `Service`: the executor of `StreamEngine`.
/// Callbacks of the consumer's poll thread, the producer's poll thread and the worker tasks
/// each take one engine transition under its lock and carry out what it returns after
/// unlocking.
public final class StreamPipeline: Service, Sendable {
    public struct Configuration: Sendable {
        public var consumer: KafkaProperties
        public var producer: KafkaProperties
        public var topics: TopicNames
        public var settings: PipelineSettings
        public init(consumer: KafkaProperties, producer: KafkaProperties, topics: TopicNames, settings: PipelineSettings) {
            self.consumer = consumer
            self.producer = producer
            self.topics = topics
            self.settings = settings
        }
    }

    /// Why the pipeline stopped with an error after its shutdown sequence.
    public struct FatalError: Error, CustomStringConvertible {
        public var description: String
    }

    let configuration: Configuration
    let processor: EventProcessor
    let logger: Logger
    let observer: (@Sendable (OutputSummary) -> Void)?
    let engine: Mutex<StreamEngine>
    let queue = WorkQueue<WorkItem>()
    let waits = EngineWaits()
    let consumerBox = ConsumerBox()
    let producerBox = ProducerBox()
    let metrics = PipelineMetrics()
    let stopRequested = OneShotSignal()

    /// Readiness/liveness inputs for the operations endpoints.
    public let health: PipelineHealth

    /// `observer` sees every output once it is handed to the producer (e.g. to print it).
    /// `health` is the probes' state when they were made before the pipeline; nil → a new one.
    public init(
        configuration: Configuration, processor: EventProcessor, health: PipelineHealth? = nil, logger: Logger,
        observer: (@Sendable (OutputSummary) -> Void)? = nil
    ) {
        self.configuration = configuration
        self.processor = processor
        self.logger = logger
        self.observer = observer
        let settings = configuration.settings
        self.engine = Mutex(
            StreamEngine(
                settings: .init(
                    maxInFlight: settings.maxInFlight, resumeBelow: settings.resumeBelow, retry: settings.deliveryRetry,
                    stallTimeout: settings.stallTimeout
                )
            )
        )
        self.health = health ?? PipelineHealth(settings: settings)
    }

    public var stats: PipelineStats { engine.withLock { $0.stats } }

    /// librdkafka statistics (consumer lag, broker states) unless the operator set an interval.
    static let defaultStatisticsIntervalMilliseconds = "5000"

    public func run() async throws {
        let producer = try KafkaProducer(
            properties: configuration.producer, logger: logger,
            onError: { [self] error in producerError(error) },
            onDelivery: { [self] token, result in deliveryReport(token: token, result: result) }
        )
        producerBox.set(producer)
        var consumerProperties = configuration.consumer
        if consumerProperties["statistics.interval.ms"] == nil {
            consumerProperties["statistics.interval.ms"] = Self.defaultStatisticsIntervalMilliseconds
        }
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(properties: consumerProperties, topics: configuration.topics.inputs, logger: logger, handlers: consumerHandlers())
        } catch {
            await producer.close()
            producerBox.set(nil)
            throw error
        }
        consumerBox.set(consumer)
        let settings = configuration.settings
        logger.info("Pipeline started", metadata: ["topics": "\(configuration.topics.inputs)", "max_in_flight": "\(settings.maxInFlight)"])

        let stopBegan = await withTaskGroup(of: Void.self, returning: ContinuousClock.Instant.self) { group in
            for _ in 0..<max(1, settings.concurrency) {
                group.addTask { await self.workerLoop(producer: producer) }
            }
            await withGracefulShutdownHandler {
                await stopRequested.wait()
            } onGracefulShutdown: {
                self.stopRequested.signal()
            }
            let stopBegan = ContinuousClock.now
            await drain(deadline: settings.shutdownDeadline, cancelWorkers: { group.cancelAll() })
            queue.finish()
            await group.waitForAll()
            return stopBegan
        }
        logger.debug("Workers stopped")
        await close(consumer: consumer, producer: producer, finalCommitWait: max(.zero, stopBegan + settings.shutdownDeadline - .now))
        if let fatal = fatalProducerError {
            throw FatalError(description: "the Kafka producer failed fatally (\(fatal)); acknowledged offsets were committed")
        }
    }

    /// Stops admission and waits for in-flight work up to `deadline`; past it (or at once after
    /// a fatal producer error) queued work is abandoned and running work cancelled.
    private func drain(deadline: Duration, cancelWorkers: () -> Void) async {
        health.update { $0.stop() }
        let (pause, drainedNow) = engine.withLock { $0.beginDrain() }
        consumerBox.consumer?.pause(pause)
        let fatal = engine.withLock { $0.fatalProducerError } != nil
        logger.info("Draining in-flight events", metadata: ["in_flight": "\(stats.inFlight)"])
        var drained = drainedNow
        if !drained, !fatal {
            drained = await waits.drained.wait(timeout: deadline)
        }
        guard !drained else { return }
        let effects = engine.withLock { $0.abandonQueued() }
        apply(effects)
        cancelWorkers()
        logger.warning(
            fatal ? "Abandoning queued events: the producer failed" : "Shutdown deadline passed: abandoning queued events",
            metadata: ["in_flight": "\(stats.inFlight)", "deadline_ms": "\(deadline.wholeMilliseconds)"]
        )
    }

    /// Flushes what librdkafka holds (bounded), stores the acknowledged offsets, commits (a
    /// refused commit retried for up to `finalCommitWait`), leaves the group and releases both
    /// handles.
    private func close(consumer: KafkaConsumer, producer: KafkaProducer, finalCommitWait: Duration) async {
        let abandoning = engine.withLock { $0.phase == .abandoning }
        let flushMilliseconds: Int32 = abandoning ? 1000 : 10_000
        if let error = await runBlocking({ producer.flush(timeoutMilliseconds: flushMilliseconds) }) {
            logger.warning("Producer flush incomplete", metadata: ["error": "\(error)"])
        }
        logger.debug("Producer flushed")
        storeFinishedOffsets(consumer: consumer, now: .now)
        await consumer.close(finalCommitWait: finalCommitWait)
        logger.debug("Consumer closed: offsets committed, group left")
        await producer.close()
        // Break the consumer → handlers → pipeline references so both handles go now.
        consumerBox.set(nil)
        producerBox.set(nil)
        let stats = self.stats
        logger.info(
            "Pipeline stopped",
            metadata: [
                "results": "\(stats.results)", "errors": "\(stats.errors)", "skipped": "\(stats.skipped)",
                "rejected": "\(stats.rejected)", "abandoned": "\(stats.abandoned + stats.inFlight)",
            ]
        )
    }

    /// Call after `run()` returned: the fatal producer error that ended it, if any.
    public var fatalProducerError: String? { engine.withLock { $0.fatalProducerError } }

    /// Carries out what a transition asked for, after its lock was released.
    func apply(_ effects: EngineEffects) {
        if let next = effects.next { queue.push(.process(next)) }
        if effects.wakeConsumer { consumerBox.consumer?.wakeUp() }
        if effects.capacityFreed { waits.capacityFreed() }
        if let number = effects.revokeDrained { waits.revocationDrained(number) }
        if effects.drained { waits.drained.signal() }
    }

    func storeFinishedOffsets(consumer: KafkaConsumer, now: ContinuousClock.Instant) {
        let (offsets, _, _) = engine.withLock { $0.afterPoll(now: now) }
        guard !offsets.isEmpty else { return }
        if let error = consumer.storeOffsets(offsets) {
            logger.debug("Offset store failed", metadata: ["error": "\(error)"])
        } else {
            engine.withLock { $0.offsetsStored(offsets) }
        }
    }
}
