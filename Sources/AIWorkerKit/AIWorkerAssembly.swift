import Analysis
import Cache
import Events
import Foundation
import IntentTier
import Kafka
import LLM
import Logging
import Pipeline
import WorkerSupport

/// ai-worker assembled from its configuration: the analyzer tiers, the stream pipeline, the
/// embedded broker and fixture loading that its modes (daemon, analyze, replay, broker) use.
public struct AIWorkerAssembly: Sendable {
    public let config: AIWorkerConfig
    public let logger: Logger
    /// The ml tier, when loaded (`loadMLTier`); nil runs the other tiers only.
    public let ml: MLIntentTier?

    public init(config: AIWorkerConfig, logger: Logger, ml: MLIntentTier? = nil) {
        self.config = config
        self.logger = logger
        self.ml = ml
    }

    /// Loads the encoder and the intent head when the ml tier is on (`ML_TIER`, or by default
    /// when the model is installed). Asked for but unreadable stops start-up with a named error.
    public static func loadMLTier(config: AIWorkerConfig, logger: Logger) throws(ConfigError) -> MLIntentTier? {
        guard config.mlTierEnabled else {
            logger.info("ml tier off", metadata: ["reason": "\(config.mlTier == false ? "ML_TIER=off" : "no model at \(config.mlModelDirectory) (scripts/install-model.sh installs it)")"])
            return nil
        }
        do {
            let tier = try MLIntentTier.load(modelDirectory: URL(fileURLWithPath: config.mlModelDirectory), headFile: URL(fileURLWithPath: config.mlHeadPath))
            logger.info("ml tier on", metadata: ["model": "\(config.mlModelDirectory)", "head": "\(config.mlHeadPath)"])
            return tier
        } catch {
            throw ConfigError(
                variable: "ML_MODEL_DIR", value: config.mlModelDirectory,
                expected: "a readable all-MiniLM-L6-v2 folder and head \(config.mlHeadPath) (\(error)); run scripts/install-model.sh or set ML_TIER=off"
            )
        }
    }

    public var analysisDefaults: AnalysisDefaults {
        AnalysisDefaults(
            timeZone: TimeZone(identifier: config.defaultTimeZone) ?? TimeZone(identifier: "UTC")!,
            currency: config.defaultCurrency, country: config.defaultCountry
        )
    }

    public func makeProcessor() -> EventProcessor {
        let analyzer: any EventAnalyzer = makeTieredAnalyzer() ?? RulesAnalyzer(engine: RulesEngine(), defaults: analysisDefaults)
        return EventProcessor(
            topics: config.topics, decoder: EventDecoder(maxEventBytes: config.maxEventBytes),
            analyzer: analyzer, rawMaxBytes: config.errorRawMaxBytes, maxOutputBytes: config.maxOutputBytes
        )
    }

    /// Rules → cache → LLM as configured; nil when neither `REDIS_URL` nor `LLM_PROVIDER` is set
    /// (the rules tier alone then, exactly as before). The Redis client's and HTTP client's
    /// threads live as long as the process.
    public func makeTieredAnalyzer() -> TieredAnalyzer? {
        let llmConfiguration = config.llmConfiguration
        guard llmConfiguration != nil || config.redisURL != nil || ml != nil else { return nil }
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
                let http = try CurlClient(logger: logger)
                let ledger: any SpendLedger = redis.map { RedisSpendLedger(redis: $0) } ?? InMemorySpendLedger()
                llm = LLMClient(configuration: llmConfiguration, http: http, ledger: ledger, logger: logger)
            } catch {
                logger.error("LLM tier disabled: the HTTP client did not start", metadata: ["error": "\(error)"])
            }
        }
        let rules = RulesAnalyzer(engine: RulesEngine(), defaults: analysisDefaults)
        return TieredAnalyzer(rules: rules, cache: cache, llm: llm, ml: ml, confidenceThreshold: config.llm.confidenceThreshold, logger: logger)
    }

    /// `health`: the probes' state when an operations endpoint was made before the pipeline
    /// (`makePipelineHealth()`); nil → the pipeline's own.
    public func makePipeline(
        bootstrap: String, embedded: Bool, health: PipelineHealth? = nil, observer: (@Sendable (OutputSummary) -> Void)? = nil
    ) -> StreamPipeline {
        let consumer = config.kafka.consumerProperties(bootstrap: bootstrap, base: embedded ? EmbeddedBroker.consumerTuning : KafkaProperties())
        let producer = config.kafka.producerProperties(bootstrap: bootstrap)
        return StreamPipeline(
            configuration: .init(consumer: consumer, producer: producer, topics: config.topics, settings: config.pipeline),
            processor: makeProcessor(), health: health, logger: logger, observer: observer
        )
    }

    public func makePipelineHealth() -> PipelineHealth { PipelineHealth(settings: config.pipeline) }

    /// Starts the mock cluster with every topic (3 partitions each).
    public func startEmbeddedBroker() throws -> EmbeddedKafka {
        try EmbeddedBroker.start(topics: config.topics.inputs + [config.topics.result, config.topics.error], logger: logger)
    }
    /// Produces fixture records and returns where each landed, in input order.
    public func produce(_ records: [FixtureRecord], bootstrap: String) async throws -> [DeliveryReport] {
        try await Fixtures.produce(records, bootstrap: bootstrap, logger: logger)
    }
}
