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

    /// Readiness/liveness inputs for the operations endpoints.
    public let health = PipelineHealth()
    private let metrics = PipelineMetrics()

    /// librdkafka statistics (consumer lag, broker states) unless the operator set an interval.
    static let defaultStatisticsIntervalMilliseconds = "5000"

    public func run() async throws {
        let core = self.core
        let logger = self.logger
        let consumerBox = self.consumerBox
        let health = self.health
        let metrics = self.metrics
        let producerBox = ProducerBox()
        let producer = try KafkaProducer(properties: configuration.producer, logger: logger) { token, result in
            switch result {
            case .failure(let error):
                logger.warning("Delivery failed; producing again", metadata: ["error.code": "\(error.name)", "error": "\(error.message)"])
                metrics.deliveryFailed(code: error.name)
                health.update { $0.deliveryFailed(code: error.name) }
            case .success(let report):
                metrics.produced(topic: report.topic)
                let now = ContinuousClock.now
                health.update {
                    $0.deliveryFinished(now: now)
                    $0.brokerAlive(now: now)
                }
            }
            if core.delivered(token: token, success: (try? result.get()) != nil) { consumerBox.consumer?.wakeUp() }
        }
        let handlers = KafkaConsumer.Handlers(
            records: { records in
                metrics.consumed(records)
                let now = ContinuousClock.now
                health.update { $0.brokerAlive(now: now) }
                if core.ingest(records), !core.waitForCapacity(timeout: .seconds(1)), let consumer = consumerBox.consumer {
                    consumer.pause(consumer.assignment)
                    logger.debug("Fetching paused: in-flight limit reached for a second")
                }
            },
            assigned: { partitions in
                if core.isPaused { consumerBox.consumer?.pause(partitions) }
                metrics.rebalance("assign")
                let total = consumerBox.consumer?.assignment.count ?? partitions.count
                let now = ContinuousClock.now
                health.update { $0.assigned(total: total, now: now) }
            },
            revoking: { partitions in
                metrics.rebalance("revoke")
                let offsets = core.revoke(Set(partitions))
                consumerBox.consumer?.storeOffsets(offsets)
                let total = max(0, (consumerBox.consumer?.assignment.count ?? 0) - partitions.count)
                health.update { $0.revoked(total: total) }
            },
            tick: {
                let (offsets, resume) = core.tick()
                guard let consumer = consumerBox.consumer else { return }
                let now = ContinuousClock.now
                if metrics.sampleDue(now: now) {
                    health.update { $0.tick(now: now) }
                    metrics.sample(stats: core.stats, assignedCount: consumer.assignment.count, producerQueue: producerBox.producer?.outstandingCount ?? 0)
                }
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
                metrics.clientError(code: error.name)
                let now = ContinuousClock.now
                health.update { $0.clientError(error, now: now) }
            },
            stats: { json in
                guard let statistics = KafkaStatistics(json: json) else { return }
                metrics.statistics(statistics)
                if statistics.brokersUp > 0 {
                    let now = ContinuousClock.now
                    health.update { $0.brokerAlive(now: now) }
                }
            }
        )
        producerBox.set(producer)
        var consumerProperties = configuration.consumer
        if consumerProperties["statistics.interval.ms"] == nil {
            consumerProperties["statistics.interval.ms"] = Self.defaultStatisticsIntervalMilliseconds
        }
        let consumer = try KafkaConsumer(properties: consumerProperties, topics: configuration.topics.inputs, logger: logger, handlers: handlers)
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
            health.update { $0.stop() }
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
        // Break the consumer → handlers → producer references so both librdkafka handles are
        // destroyed when this returns (before an embedded broker they talk to goes away).
        consumerBox.set(nil)
        producerBox.set(nil)
        let stats = core.stats
        logger.info("Pipeline stopped", metadata: ["results": "\(stats.results)", "errors": "\(stats.errors)", "skipped": "\(stats.skipped)", "abandoned_in_flight": "\(stats.inFlight)"])
    }

    private let shutdownRequested = ShutdownSignal()

    private func waitForShutdownSignal() async {
        await shutdownRequested.wait()
    }

    private func workerLoop(producer: KafkaProducer) async {
        var ids = IDGenerator()
        while let item = await core.queue.next() {
            switch item {
            case .process(let job):
                guard core.isCurrent(job) else {
                    core.finish(job, outcome: .abandoned)
                    core.releaseLane(of: job)
                    continue
                }
                let started = ContinuousClock.now
                let output = await processor.process(job.record, ids: EventIDs(using: &ids))
                switch output {
                case .skip(let summary), .publish(_, let summary):
                    metrics.processed(summary, duration: ContinuousClock.now - started)
                }
                switch output {
                case .skip(let summary):
                    observer?(summary)
                    if core.finish(job, outcome: .skipped) { wakeConsumer() }
                case .publish(let record, let summary):
                    let token = core.expectDelivery(of: record, for: job, outcome: summary.kind == .error ? .error : .result)
                    let now = ContinuousClock.now
                    health.update { $0.deliveryEnqueued(now: now) }
                    await send(record, token: token, producer: producer)
                    observer?(summary)
                    logger.debug("Event processed", metadata: Self.eventMetadata(job.record, summary))
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
            } catch where error.isRetriable || error.isQueueFull {
                try? await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .milliseconds(200))
            } catch {
                logger.error("Output could not be produced", metadata: ["error.code": "\(error.name)", "error": "\(error.message)", "kafka.topic": "\(record.topic)"])
                metrics.deliveryFailed(code: error.name)
                let now = ContinuousClock.now
                health.update { $0.deliveryFinished(now: now) }
                _ = core.delivered(token: token, success: true)
                return
            }
        }
    }

    /// Per-event debug fields; absent values are left out. `text` is customer text (the log
    /// handler masks phones and emails).
    static func eventMetadata(_ record: KafkaRecord, _ summary: OutputSummary) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "kafka.topic": "\(record.topic)", "kafka.partition": "\(record.partition)", "kafka.offset": "\(record.offset)",
            "trace.id": "\(summary.traceID)", "outcome": "\(summary.kind.rawValue)",
        ]
        if let eventID = summary.eventID { metadata["event.id"] = "\(eventID)" }
        if let leadID = summary.leadID { metadata["lead.id"] = "\(leadID)" }
        if let intent = summary.intent { metadata["intent"] = "\(intent.rawValue)" }
        if let tier = summary.tier { metadata["tier"] = "\(tier.rawValue)" }
        if let code = summary.errorCode { metadata["error.code"] = "\(code.rawValue)" }
        if let text = summary.text { metadata["text"] = "\(text)" }
        return metadata
    }

    private let consumerBox = ConsumerBox()
    private func wakeConsumer() { consumerBox.consumer?.wakeUp() }
}
