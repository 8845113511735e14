import Cache
import Events
import Foundation
import Kafka
import LLM
import Logging
import Pipeline
import SentenceEncoder
import WorkerSupport

/// ai-worker's whole configuration, built once at start from the environment, then flags.
public struct AIWorkerConfig: Sendable, CustomStringConvertible {
    public enum Guarantee: String, Sendable { case atLeastOnce = "at_least_once", exactlyOnce = "exactly_once" }
    public enum EmbeddedBrokerMode: String, Sendable, CaseIterable { case auto, on, off }
    /// Where the daemon's Kafka is.
    public enum KafkaTarget: Sendable, Equatable {
        case cluster(bootstrap: String)
        case embedded
    }

    public var kafka = KafkaSettings(groupID: "biznavigate-ai-group", clientID: "ai-worker")
    /// `KAFKA_EMBEDDED`: `auto` starts the embedded broker when `KAFKA_BROKERS` is unset, `on`
    /// asks for it, `off` requires `KAFKA_BROKERS` (the production image's setting).
    public var embeddedBroker = EmbeddedBrokerMode.auto
    public var topics = TopicNames()
    public var guarantee = Guarantee.atLeastOnce
    public var maxEventBytes = 262_144
    public var errorRawMaxBytes = 4096
    public var pipeline = PipelineSettings()
    public var defaultTimeZone = "Asia/Kolkata"
    public var defaultCurrency = "INR"
    public var defaultCountry = "IN"
    public var httpPort = 9464
    public var log = LogSettings()
    public var fixturesDirectory = "Fixtures"
    public var redisURL: String?
    public var cacheTTLSeconds = 3600
    public var llmProvider = "none"
    /// The ml tier: `on`, `off`, or nil for on exactly when the model is installed.
    public var mlTier: Bool?
    /// The encoder's folder (`model.safetensors`, `vocab.txt`, `tokenizer.json`, `config.json`).
    public var mlModelDirectory = SentenceEncoder.defaultModelDirectory(environment: ProcessInfo.processInfo.environment).path
    /// The intent head; nil → `<FIXTURES_DIR>/ml/intent-head.json`.
    public var mlHeadFile: String?
    /// Whether the ml tier runs: on when asked, or by default when its model is installed.
    public var mlTierEnabled: Bool {
        mlTier ?? FileManager.default.fileExists(atPath: mlModelDirectory + "/model.safetensors")
    }
    public var mlHeadPath: String { mlHeadFile ?? fixturesDirectory + "/ml/intent-head.json" }
    /// Entries of the in-process LRU (in front of Redis, or alone without it).
    public var cacheLRUSize = 10_000
    /// Redis connect and command timeout.
    public var redisTimeoutMilliseconds = 250
    public var llm = LLMSettings()

    /// The LLM tier's settings (used when `llmProvider` is not `none`).
    public struct LLMSettings: Sendable {
        /// nil → the provider's default.
        public var baseURL: String?
        public var apiKey: String?
        public var model: String?
        public var complexModel: String?
        public var confidenceThreshold = 0.75
        public var timeoutMilliseconds = 15_000
        public var maxRetries = 2
        /// USD per business per UTC day; nil = unlimited.
        public var dailyBudgetUSD: Double? = 10
        public var responseFormat = LLMResponseFormat.jsonSchema
        public var prices = PriceTable()
        public var breakerFailures = 5
        public var breakerCooldownMilliseconds = 30_000
        public var deadlineMilliseconds = 30_000
        public init() {}
    }

    /// The LLM client's configuration; nil when `LLM_PROVIDER` is `none`.
    public var llmConfiguration: LLMConfiguration? {
        guard let provider = LLMProvider(rawValue: llmProvider) else { return nil }
        var configuration = LLMConfiguration(provider: provider, baseURL: llm.baseURL, apiKey: llm.apiKey, model: llm.model, complexModel: llm.complexModel)
        configuration.timeout = .milliseconds(llm.timeoutMilliseconds)
        configuration.maxRetries = llm.maxRetries
        configuration.dailyBudgetUSD = llm.dailyBudgetUSD
        configuration.responseFormat = llm.responseFormat
        configuration.prices = llm.prices
        configuration.breakerFailureThreshold = llm.breakerFailures
        configuration.breakerCooldown = .milliseconds(llm.breakerCooldownMilliseconds)
        configuration.deadline = .milliseconds(max(llm.deadlineMilliseconds, llm.timeoutMilliseconds))
        return configuration
    }

    public init() {}

    /// The cluster of `KAFKA_BROKERS`, or the embedded broker as `KAFKA_EMBEDDED` allows; a
    /// contradiction (`off` without brokers, `on` with them) is a named error.
    public func kafkaTarget() throws(ConfigError) -> KafkaTarget {
        switch (embeddedBroker, kafka.brokers) {
        case (.off, nil):
            throw ConfigError(
                variable: "KAFKA_BROKERS", value: "",
                expected: "host:port[,host:port…] of the cluster: KAFKA_EMBEDDED=off does not start the embedded broker (KAFKA_EMBEDDED=on does)"
            )
        case (.on, let brokers?):
            throw ConfigError(
                variable: "KAFKA_EMBEDDED", value: "on",
                expected: "auto or off with KAFKA_BROKERS=\(brokers) set (on starts the embedded broker: unset KAFKA_BROKERS for it)"
            )
        case (_, let brokers?):
            return .cluster(bootstrap: brokers)
        case (_, nil):
            return .embedded
        }
    }

    /// The producer's `message.max.bytes` (librdkafka's default unless `KAFKA_PRODUCER_CONFIG` sets it).
    public var producerMessageMaxBytes: Int {
        kafka.producerExtra["message.max.bytes"].flatMap { Int($0) } ?? 1_000_000
    }

    /// What a result may weigh: the producer's limit less room for the key and headers.
    public var maxOutputBytes: Int { producerMessageMaxBytes - Self.recordOverheadBytes }

    /// Key (a lead id) and headers (event type, content type, source event id, trace context).
    static let recordOverheadBytes = 8192

    /// An `ai.error` carries up to `ERROR_RAW_MAX_BYTES` of the input, which JSON escaping can
    /// grow sixfold (`\u0000`), plus its envelope: it must fit the producer's limit, or an
    /// unprocessable input could get no output at all.
    func checkOutputsFitTheProducer() throws(ConfigError) {
        let largestError = errorRawMaxBytes * 6 + 8192
        guard largestError <= maxOutputBytes else {
            throw ConfigError(
                variable: "ERROR_RAW_MAX_BYTES", value: String(errorRawMaxBytes),
                expected: "at most \((maxOutputBytes - 8192) / 6) with the producer's message.max.bytes of \(producerMessageMaxBytes) (ai.error raw is JSON-escaped, up to 6 bytes per input byte)"
            )
        }
    }

    /// Every variable ai-worker reads, with its meaning (for `--help` and the README).
    public static let variables: [(name: String, help: String)] = KafkaSettings.variables(
        defaults: AIWorkerConfig().kafka, brokers: "bootstrap servers host:port,…; unset → embedded broker with the fixture topics (unless KAFKA_EMBEDDED=off)"
    ) + [
        ("KAFKA_EMBEDDED", "auto|on|off: the embedded broker (librdkafka mock cluster) when KAFKA_BROKERS is unset / always / never, off requiring KAFKA_BROKERS (default auto; the Docker image sets off)"),
        ("TOPIC_LEAD_CREATED, TOPIC_LEAD_MESSAGE, TOPIC_PROCESS_REQUEST, TOPIC_RESULT, TOPIC_ERROR", "topic names"),
        ("PROCESSING_GUARANTEE", "at_least_once (exactly_once is not supported yet)"),
        ("MAX_EVENT_BYTES", "largest accepted event in bytes (default 262144)"),
        ("ERROR_RAW_MAX_BYTES", "bytes of a failed input kept in ai.error.raw (default 4096)"),
        ("MAX_IN_FLIGHT", "events admitted and not yet acknowledged; fetching pauses above it (default 10000)"),
        ("WORKER_CONCURRENCY", "events analyzed concurrently (default: the core count with rules only, 256 with an LLM or Redis tier)"),
        ("SHUTDOWN_TIMEOUT_MS", "how long SIGTERM waits for in-flight events; past it queued work is abandoned uncommitted (default 25000)"),
        ("STALL_TIMEOUT_MS", "a partition with lag and no progress this long is stalled: metric and readiness (default 120000)"),
        ("OUTPUT_MAX_ATTEMPTS", "produce attempts of an output after transient failures before it counts as rejected (default 5)"),
        ("DEFAULT_TIMEZONE, DEFAULT_CURRENCY, DEFAULT_COUNTRY", "analysis defaults (Asia/Kolkata, INR, IN)"),
        ("HTTP_PORT", "metrics/health port, 0 disables (default 9464)"),
        ("FIXTURES_DIR", "fixture folder for the embedded broker and replay (default Fixtures)"),
        ("ML_TIER", "on|off: the learned intent tier (default on when its model is installed, see scripts/install-model.sh)"),
        ("ML_MODEL_DIR", "folder of the encoder's files (default ~/.cache/ai-worker/models/all-MiniLM-L6-v2, or under XDG_CACHE_HOME)"),
        ("ML_HEAD_FILE", "the intent head's weights (default <FIXTURES_DIR>/ml/intent-head.json; retrain with scripts/ml/train-head.sh)"),
        ("REDIS_URL", "redis://[[user]:password@]host:port/db for the shared cache and budget counters; unset → in-process LRU only"),
        ("CACHE_TTL_SECONDS", "cache entry lifetime (default 3600)"),
        ("CACHE_LRU_SIZE", "entries of the in-process LRU (default 10000)"),
        ("REDIS_TIMEOUT_MS", "Redis connect and command timeout (default 250)"),
        ("LLM_PROVIDER", "none|openai|anthropic (default none: rules only); openai = any OpenAI-compatible endpoint"),
        ("LLM_BASE_URL", "endpoint base: https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), https://api.anthropic.com"),
        ("LLM_API_KEY", "provider key (never logged); optional for local OpenAI-compatible servers"),
        ("LLM_MODEL / LLM_MODEL_COMPLEX", "cheap model / model for long or multi-question messages (provider defaults)"),
        ("LLM_CONFIDENCE_THRESHOLD", "below this rules confidence the LLM runs (default 0.75)"),
        ("LLM_TIMEOUT_MS", "per-attempt timeout (default 15000)"),
        ("LLM_MAX_RETRIES", "retries on 429/5xx/timeouts (default 2)"),
        ("LLM_DEADLINE_MS", "whole-call limit, retries included (default 30000)"),
        ("LLM_DAILY_BUDGET_USD", "LLM spend per business per UTC day; unlimited = no limit (default 10)"),
        ("LLM_RESPONSE_FORMAT", "json_schema|json_object|prompt for OpenAI-compatible endpoints (default json_schema)"),
        ("LLM_PRICES", "model=input/output USD per 1M tokens, comma-separated, * = unknown models (adds to built-in prices)"),
        ("LLM_BREAKER_FAILURES / LLM_BREAKER_COOLDOWN_MS", "consecutive failures that open the breaker (5) / open time before a probe (30000)"),
    ] + LogSettings.variables

    /// Reads `environment`; keys of `overrides` (same names, from flags) win.
    public static func load(environment: [String: String], overrides: [String: String] = [:]) throws(ConfigError) -> AIWorkerConfig {
        let reader = ConfigReader(environment: environment, overrides: overrides)
        var config = AIWorkerConfig()
        config.kafka = try KafkaSettings.read(reader, defaults: config.kafka)
        if let mode = try reader.choice("KAFKA_EMBEDDED", EmbeddedBrokerMode.allCases.map(\.rawValue)) {
            config.embeddedBroker = EmbeddedBrokerMode(rawValue: mode) ?? .auto
        }
        if let topic = reader.value("TOPIC_LEAD_CREATED") { config.topics.leadCreated = topic }
        if let topic = reader.value("TOPIC_LEAD_MESSAGE") { config.topics.leadMessage = topic }
        if let topic = reader.value("TOPIC_PROCESS_REQUEST") { config.topics.processRequest = topic }
        if let topic = reader.value("TOPIC_RESULT") { config.topics.result = topic }
        if let topic = reader.value("TOPIC_ERROR") { config.topics.error = topic }
        if let guarantee = try reader.choice("PROCESSING_GUARANTEE", ["at_least_once", "exactly_once"]) {
            guard guarantee == "at_least_once" else {
                throw ConfigError(variable: "PROCESSING_GUARANTEE", value: guarantee, expected: "at_least_once (exactly_once is not implemented in this version)")
            }
        }
        if let bytes = try reader.integer("MAX_EVENT_BYTES", 1024...16_777_216) { config.maxEventBytes = bytes }
        if let bytes = try reader.integer("ERROR_RAW_MAX_BYTES", 0...1_048_576) { config.errorRawMaxBytes = bytes }
        if let limit = try reader.integer("MAX_IN_FLIGHT", 1...1_000_000) { config.pipeline.maxInFlight = limit }
        let explicitConcurrency = try reader.integer("WORKER_CONCURRENCY", 1...10_000)
        if let timeout = try reader.integer("SHUTDOWN_TIMEOUT_MS", 0...600_000) { config.pipeline.shutdownDeadline = .milliseconds(timeout) }
        if let timeout = try reader.integer("STALL_TIMEOUT_MS", 1000...86_400_000) { config.pipeline.stallTimeout = .milliseconds(timeout) }
        if let attempts = try reader.integer("OUTPUT_MAX_ATTEMPTS", 1...100) { config.pipeline.deliveryRetry.maxAttempts = attempts }
        try config.checkOutputsFitTheProducer()
        if let zone = reader.value("DEFAULT_TIMEZONE") {
            guard TimeZone(identifier: zone) != nil else {
                throw ConfigError(variable: "DEFAULT_TIMEZONE", value: zone, expected: "an IANA time zone such as Asia/Kolkata")
            }
            config.defaultTimeZone = zone
        }
        if let currency = reader.value("DEFAULT_CURRENCY") {
            guard let code = LocaleCodes.currency(currency) else {
                throw ConfigError(variable: "DEFAULT_CURRENCY", value: currency, expected: "an ISO 4217 code such as INR")
            }
            config.defaultCurrency = code
        }
        if let country = reader.value("DEFAULT_COUNTRY") {
            guard let code = LocaleCodes.country(country) else {
                throw ConfigError(variable: "DEFAULT_COUNTRY", value: country, expected: "an ISO 3166 alpha-2 code such as IN")
            }
            config.defaultCountry = code
        }
        if let port = try reader.integer("HTTP_PORT", 0...65_535) { config.httpPort = port }
        config.log = try LogSettings.read(reader)
        if let directory = reader.value("FIXTURES_DIR") { config.fixturesDirectory = directory }
        if let url = reader.value("REDIS_URL") {
            guard url.hasPrefix("redis://") || url.hasPrefix("rediss://") else {
                throw ConfigError(variable: "REDIS_URL", value: url, expected: "redis://[:password@]host:port/db")
            }
            config.redisURL = url
        }
        if let ttl = try reader.integer("CACHE_TTL_SECONDS", 1...604_800) { config.cacheTTLSeconds = ttl }
        if let provider = try reader.choice("LLM_PROVIDER", ["none", "openai", "anthropic"]) { config.llmProvider = provider }
        if let url = config.redisURL, !url.hasPrefix("redis://") {
            throw ConfigError(variable: "REDIS_URL", value: ConfigReader.redactingPassword(url), expected: "redis://[:password@]host:port/db (TLS rediss:// is not supported by hiredis 0.14)")
        }
        if let url = config.redisURL, RedisEndpoint(url: url) == nil {
            throw ConfigError(variable: "REDIS_URL", value: ConfigReader.redactingPassword(url), expected: "redis://[[user]:password@]host[:port][/db]")
        }
        if let size = try reader.integer("CACHE_LRU_SIZE", 1...10_000_000) { config.cacheLRUSize = size }
        if let timeout = try reader.integer("REDIS_TIMEOUT_MS", 1...60_000) { config.redisTimeoutMilliseconds = timeout }
        if let url = reader.value("LLM_BASE_URL") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > "https://".count else {
                throw ConfigError(variable: "LLM_BASE_URL", value: url, expected: "an http:// or https:// URL such as https://api.openai.com/v1")
            }
            config.llm.baseURL = url
        }
        config.llm.apiKey = reader.value("LLM_API_KEY")
        config.llm.model = reader.value("LLM_MODEL")
        config.llm.complexModel = reader.value("LLM_MODEL_COMPLEX")
        if let threshold = try reader.decimal("LLM_CONFIDENCE_THRESHOLD", 0...1) { config.llm.confidenceThreshold = threshold }
        if let timeout = try reader.integer("LLM_TIMEOUT_MS", 100...600_000) { config.llm.timeoutMilliseconds = timeout }
        if let retries = try reader.integer("LLM_MAX_RETRIES", 0...10) { config.llm.maxRetries = retries }
        if let deadline = try reader.integer("LLM_DEADLINE_MS", 100...3_600_000) { config.llm.deadlineMilliseconds = deadline }
        if let raw = reader.value("LLM_DAILY_BUDGET_USD"), raw.lowercased() == "unlimited" {
            config.llm.dailyBudgetUSD = nil
        } else if let budget = try reader.decimal("LLM_DAILY_BUDGET_USD", 0...1_000_000) {
            config.llm.dailyBudgetUSD = budget
        }
        if let format = try reader.choice("LLM_RESPONSE_FORMAT", LLMResponseFormat.allCases.map(\.rawValue)) {
            config.llm.responseFormat = LLMResponseFormat(rawValue: format) ?? .jsonSchema
        }
        if let raw = reader.value("LLM_PRICES") {
            guard let table = PriceTable.parse(raw) else {
                throw ConfigError(variable: "LLM_PRICES", value: raw, expected: "model=input/output[,model=input/output…] in USD per million tokens, * for unknown models")
            }
            config.llm.prices = table
        }
        if let failures = try reader.integer("LLM_BREAKER_FAILURES", 1...1000) { config.llm.breakerFailures = failures }
        if let cooldown = try reader.integer("LLM_BREAKER_COOLDOWN_MS", 100...3_600_000) { config.llm.breakerCooldownMilliseconds = cooldown }
        if config.llmProvider == "anthropic", config.llm.apiKey == nil {
            throw ConfigError(variable: "LLM_API_KEY", value: "", expected: "an Anthropic API key when LLM_PROVIDER=anthropic")
        }
        if let mode = try reader.choice("ML_TIER", ["on", "off"]) { config.mlTier = mode == "on" }
        if let directory = reader.value("ML_MODEL_DIR") { config.mlModelDirectory = directory }
        if let file = reader.value("ML_HEAD_FILE") { config.mlHeadFile = file }
        // Rules-only analysis is CPU-bound: more tasks than cores only add wake-ups. Tiers that
        // wait on the network (LLM, Redis) need many events in flight per replica; the ml tier
        // needs enough of them to fill its encoder batches.
        let waitsOnNetwork = config.llmProvider != "none" || config.redisURL != nil
        let cores = max(2, ProcessInfo.processInfo.activeProcessorCount)
        config.pipeline.concurrency = explicitConcurrency ?? (waitsOnNetwork ? 256 : (config.mlTierEnabled ? 64 : cores))
        return config
    }

    /// Start-up summary with secrets redacted.
    public var description: String {
        let redis = redisURL.map(ConfigReader.redactingPassword) ?? "none"
        return "\(kafka.summary(unsetBrokers: "embedded")) embedded=\(embeddedBroker.rawValue) "
            + "topics=\(topics.inputs.joined(separator: ","))→\(topics.result),\(topics.error) guarantee=\(guarantee.rawValue) "
            + "max_in_flight=\(pipeline.maxInFlight) concurrency=\(pipeline.concurrency) max_event_bytes=\(maxEventBytes) "
            + "defaults=\(defaultTimeZone)/\(defaultCurrency)/\(defaultCountry) redis=\(redis) llm=\(llmConfiguration.map(\.description) ?? "none") ml=\(mlTierEnabled ? "on" : "off") http_port=\(httpPort)"
    }
}
