import Events
import Kafka
import Logging
import ServiceLifecycle

/// The consume → process → produce loop as a `Service`: per-lead order, bounded in-flight work,
/// offsets committed only over finished events, and a draining shutdown.
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

    private let configuration: Configuration
    private let processor: EventProcessor
    private let logger: Logger
    private let observer: (@Sendable (OutputSummary) -> Void)?
    private let core: PipelineCore

    /// `observer` sees every output once it is handed to the producer (e.g. to print it).
    public init(configuration: Configuration, processor: EventProcessor, logger: Logger, observer: (@Sendable (OutputSummary) -> Void)? = nil) {
        self.configuration = configuration
        self.processor = processor
        self.logger = logger
        self.observer = observer
        self.core = PipelineCore(settings: configuration.settings)
    }

    public var stats: PipelineStats { core.stats }

    public func run() async throws {
        let core = self.core
        let logger = self.logger
        let consumerBox = self.consumerBox
        let producer = try KafkaProducer(properties: configuration.producer, logger: logger) { token, result in
            if case .failure(let error) = result {
                logger.warning("Delivery failed; producing again", metadata: ["error.code": "\(error.name)", "error": "\(error.message)"])
            }
            if core.delivered(token: token, success: (try? result.get()) != nil) { consumerBox.consumer?.wakeUp() }
        }
        let handlers = KafkaConsumer.Handlers(
            records: { records in
                if core.ingest(records), let consumer = consumerBox.consumer {
                    consumer.pause(consumer.assignment)
                    logger.debug("Fetching paused: in-flight limit reached")
                }
            },
            assigned: { partitions in
                if core.isPaused { consumerBox.consumer?.pause(partitions) }
            },
            revoking: { partitions in
                let offsets = core.revoke(Set(partitions))
                consumerBox.consumer?.storeOffsets(offsets)
            },
            tick: {
                let (offsets, resume) = core.tick()
                guard let consumer = consumerBox.consumer else { return }
                if let error = consumer.storeOffsets(offsets) {
                    logger.debug("Offset store failed", metadata: ["error": "\(error)"])
                }
                if resume {
                    consumer.resume(consumer.assignment)
                    logger.debug("Fetching resumed")
                }
            },
            error: { error in
                logger.warning("Kafka client error", metadata: ["error.code": "\(error.name)", "error": "\(error.message)"])
            }
        )
        let consumer = try KafkaConsumer(properties: configuration.consumer, topics: configuration.topics.inputs, logger: logger, handlers: handlers)
        consumerBox.set(consumer)
        logger.info("Pipeline started", metadata: ["topics": "\(configuration.topics.inputs)", "max_in_flight": "\(configuration.settings.maxInFlight)"])

        let settings = configuration.settings
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, settings.concurrency) {
                group.addTask { await self.workerLoop(producer: producer) }
            }
            await withGracefulShutdownHandler {
                await self.waitForShutdownSignal()
            } onGracefulShutdown: {
                self.shutdownRequested.signal()
            }
            logger.info("Draining in-flight events", metadata: ["in_flight": "\(core.stats.inFlight)"])
            await withTaskGroup(of: Void.self) { drain in
                drain.addTask { await core.drain() }
                drain.addTask {
                    try? await Task.sleep(for: settings.shutdownDeadline)
                    core.abandonDrain()
                }
                await drain.next()
                drain.cancelAll()
            }
            core.queue.finish()
            await group.waitForAll()
        }
        if let error = await runBlocking({ producer.flush(timeoutMilliseconds: 10_000) }) {
            logger.warning("Producer flush incomplete", metadata: ["error": "\(error)"])
        }
        let (offsets, _) = core.tick()
        consumer.storeOffsets(offsets)
        await consumer.close()
        let stats = core.stats
        logger.info("Pipeline stopped", metadata: ["results": "\(stats.results)", "errors": "\(stats.errors)", "skipped": "\(stats.skipped)", "abandoned_in_flight": "\(stats.inFlight)"])
    }

    private let shutdownRequested = ShutdownSignal()

    private func waitForShutdownSignal() async {
        await shutdownRequested.wait()
    }

    private func workerLoop(producer: KafkaProducer) async {
        while let item = await core.queue.next() {
            switch item {
            case .process(let job):
                guard core.isCurrent(job) else {
                    core.finish(job, outcome: .abandoned)
                    core.releaseLane(of: job)
                    continue
                }
                let output = await processor.process(job.record)
                switch output {
                case .skip(let summary):
                    observer?(summary)
                    if core.finish(job, outcome: .skipped) { wakeConsumer() }
                case .publish(let record, let summary):
                    let token = core.expectDelivery(of: record, for: job, outcome: summary.kind == .error ? .error : .result)
                    await send(record, token: token, producer: producer)
                    observer?(summary)
                    logger.debug(
                        "Event processed",
                        metadata: [
                            "kafka.topic": "\(job.record.topic)", "kafka.partition": "\(job.record.partition)", "kafka.offset": "\(job.record.offset)",
                            "event.id": "\(summary.eventID ?? "")", "lead.id": "\(summary.leadID ?? "")", "trace.id": "\(summary.traceID)",
                        ]
                    )
                }
                core.releaseLane(of: job)
            case .resend(let token):
                guard let delivery = core.pendingDelivery(token) else { continue }
                try? await Task.sleep(for: .milliseconds(100))
                await send(delivery.record, token: token, producer: producer)
            }
        }
    }

    /// Enqueues a record, waiting while librdkafka's queue is full.
    private func send(_ record: OutgoingRecord, token: UInt, producer: KafkaProducer) async {
        var backoff = Duration.milliseconds(1)
        while true {
            do {
                try producer.send(record, token: token)
                return
            } catch where error.isRetriable || error.name == "_QUEUE_FULL" {
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .milliseconds(200))
            } catch {
                logger.error("Output could not be produced", metadata: ["error.code": "\(error.name)", "error": "\(error.message)", "kafka.topic": "\(record.topic)"])
                _ = core.delivered(token: token, success: true)
                return
            }
        }
    }

    private let consumerBox = ConsumerBox()
    private func wakeConsumer() { consumerBox.consumer?.wakeUp() }
}
