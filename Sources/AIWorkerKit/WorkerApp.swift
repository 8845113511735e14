import Analysis
import Cache
import Events
import Foundation
import Kafka
import LLM
import Logging
import Pipeline
import Synchronization

/// Builds the pipeline from a `WorkerConfig` and runs its modes (daemon, embedded, replay).
public struct WorkerApp: Sendable {
    public let config: WorkerConfig
    public let logger: Logger

    public init(config: WorkerConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// Settings the mock broker needs for timely group joins and fetches (bench/perf README).
    public static let embeddedConsumerTuning = KafkaProperties([
        "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "500",
        "fetch.wait.max.ms": "10",
    ])

    public var analysisDefaults: AnalysisDefaults {
        AnalysisDefaults(
            timeZone: TimeZone(identifier: config.defaultTimeZone) ?? TimeZone(identifier: "UTC")!,
            currency: config.defaultCurrency, country: config.defaultCountry
        )
    }

    public func makeProcessor() -> EventProcessor {
        let analyzer: any EventAnalyzer = makeTieredAnalyzer() ?? RulesAnalyzer(engine: RulesEngine(), defaults: analysisDefaults)
        return EventProcessor(
            topics: config.kafka.topics, decoder: EventDecoder(maxEventBytes: config.maxEventBytes),
            analyzer: analyzer, rawMaxBytes: config.errorRawMaxBytes, maxOutputBytes: config.maxOutputBytes
        )
    }

    /// Rules → cache → LLM as configured; nil when neither `REDIS_URL` nor `LLM_PROVIDER` is set
    /// (the rules tier alone then, exactly as before). The Redis client's and HTTP client's
    /// threads live as long as the process.
    public func makeTieredAnalyzer() -> TieredAnalyzer? {
        let llmConfiguration = config.llmConfiguration
        guard llmConfiguration != nil || config.redisURL != nil else { return nil }
        let redis = config.redisURL.flatMap(RedisEndpoint.init(url:)).map { endpoint in
            var options = RedisClient.Options()
            options.connectTimeout = .milliseconds(config.redisTimeoutMilliseconds)
            options.commandTimeout = .milliseconds(config.redisTimeoutMilliseconds)
            return RedisClient(endpoint: endpoint, options: options, logger: logger)
        }
        let cache = ResultCache(
            redis: redis, lruCapacity: config.cacheLRUSize, ttlSeconds: config.cacheTTLSeconds, kinds: TieredAnalyzer.cacheKinds, logger: logger
        )
        var llm: LLMClient?
        if let llmConfiguration {
            do {
                let http = try HTTPClient(logger: logger)
                let ledger: any SpendLedger = redis.map { RedisSpendLedger(redis: $0) } ?? InMemorySpendLedger()
                llm = LLMClient(configuration: llmConfiguration, http: http, ledger: ledger, logger: logger)
            } catch {
                logger.error("LLM tier disabled: the HTTP client did not start", metadata: ["error": "\(error)"])
            }
        }
        let rules = RulesAnalyzer(engine: RulesEngine(), defaults: analysisDefaults)
        return TieredAnalyzer(rules: rules, cache: cache, llm: llm, confidenceThreshold: config.llm.confidenceThreshold, logger: logger)
    }

    public func makePipeline(bootstrap: String, embedded: Bool, observer: (@Sendable (OutputSummary) -> Void)? = nil) -> StreamPipeline {
        var consumer = embedded ? Self.embeddedConsumerTuning : KafkaProperties()
        consumer.merge(config.consumerProperties(bootstrap: bootstrap))
        let producer = config.producerProperties(bootstrap: bootstrap)
        return StreamPipeline(
            configuration: .init(consumer: consumer, producer: producer, topics: config.kafka.topics, settings: config.pipeline),
            processor: makeProcessor(), logger: logger, observer: observer
        )
    }

    /// Starts the mock cluster with every topic (3 partitions each).
    public func startEmbeddedBroker() throws -> EmbeddedKafka {
        let broker = try EmbeddedKafka(brokers: 3, logger: logger)
        let topics = config.kafka.topics
        for topic in topics.inputs + [topics.result, topics.error] { try broker.createTopic(topic, partitions: 3) }
        return broker
    }

    /// Produces fixture records and returns where each landed, in input order.
    public func produce(_ records: [FixtureRecord], bootstrap: String) async throws -> [DeliveryReport] {
        let collector = DeliveryCollector(count: records.count)
        let properties = KafkaProperties(["bootstrap.servers": bootstrap, "message.max.bytes": "4000000", "linger.ms": "1"])
        let producer = try KafkaProducer(properties: properties, logger: logger) { token, result in
            collector.record(index: Int(token) - 1, result: result)
        }
        for (index, record) in records.enumerated() {
            let outgoing = OutgoingRecord(topic: record.topic, key: record.key, value: record.value ?? [], headers: record.headers)
            if record.value == nil {
                try producer.sendTombstone(topic: record.topic, key: record.key, headers: record.headers, token: UInt(index + 1))
            } else {
                try producer.send(outgoing, token: UInt(index + 1))
            }
        }
        return try await collector.wait()
    }
}

/// Gathers the delivery reports of a known number of records.
final class DeliveryCollector: Sendable {
    private struct State {
        var reports: [DeliveryReport?]
        var remaining: Int
        var failure: KafkaError?
        var waiter: CheckedContinuation<[DeliveryReport], any Error>?
    }
    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(reports: Array(repeating: nil, count: count), remaining: count)) }

    func record(index: Int, result: Result<DeliveryReport, KafkaError>) {
        let resume: (CheckedContinuation<[DeliveryReport], any Error>, Result<[DeliveryReport], any Error>)? = state.withLock { state in
            switch result {
            case .success(let report): state.reports[index] = report
            case .failure(let error): state.failure = error
            }
            state.remaining -= 1
            guard state.remaining == 0, let waiter = state.waiter.take() else { return nil }
            if let failure = state.failure { return (waiter, .failure(failure)) }
            return (waiter, .success(state.reports.compactMap { $0 }))
        }
        if let (waiter, outcome) = resume { waiter.resume(with: outcome) }
    }

    func wait() async throws -> [DeliveryReport] {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<[DeliveryReport], any Error>? = state.withLock { state in
                guard state.remaining == 0 else {
                    state.waiter = continuation
                    return nil
                }
                if let failure = state.failure { return .failure(failure) }
                return .success(state.reports.compactMap { $0 })
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
