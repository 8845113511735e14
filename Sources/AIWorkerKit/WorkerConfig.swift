import Cache
import Events
import Foundation
import Kafka
import LLM
import Logging
import Pipeline

/// A configuration value that does not have the expected form.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var variable: String
    public var value: String
    public var expected: String
    public var description: String { "invalid \(variable)=\(value.debugDescription): expected \(expected)" }

    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }
}

/// ai-worker's whole configuration, built once at start from the environment, then flags.
public struct WorkerConfig: Sendable, CustomStringConvertible {
    public struct KafkaSettings: Sendable {
        /// nil → start the embedded broker.
        public var brokers: String?
        public var groupID = "biznavigate-ai-group"
        public var clientID = "ai-worker"
        public var securityProtocol = "plaintext"
        public var saslMechanism: String?
        public var saslUsername: String?
        public var saslPassword: String?
        public var sslCALocation: String?
        public var assignmentStrategy = "roundrobin"
        public var consumerExtra = KafkaProperties()
        public var producerExtra = KafkaProperties()
        public var topics = TopicNames()
    }

    public enum Guarantee: String, Sendable { case atLeastOnce = "at_least_once", exactlyOnce = "exactly_once" }

    public var kafka = KafkaSettings()
    public var guarantee = Guarantee.atLeastOnce
    public var maxEventBytes = 262_144
    public var errorRawMaxBytes = 4096
    public var pipeline = PipelineSettings()
    public var defaultTimeZone = "Asia/Kolkata"
    public var defaultCurrency = "INR"
    public var defaultCountry = "IN"
    public var httpPort = 9464
    public var logLevel = Logger.Level.info
    /// nil → `text` on a terminal, `json` otherwise.
    public var logFormat: String?
    public var fixturesDirectory = "Fixtures"
    public var redisURL: String?
    public var cacheTTLSeconds = 3600
    public var llmProvider = "none"
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
    public static let variables: [(name: String, help: String)] = [
        ("KAFKA_BROKERS", "bootstrap servers host:port,…; unset → embedded broker with the fixture topics"),
        ("KAFKA_GROUP_ID", "consumer group (default biznavigate-ai-group)"),
        ("KAFKA_CLIENT_ID", "client.id (default ai-worker)"),
        ("KAFKA_SECURITY_PROTOCOL", "plaintext|ssl|sasl_plaintext|sasl_ssl (default plaintext)"),
        ("KAFKA_SASL_MECHANISM", "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512"),
        ("KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD", "SASL credentials"),
        ("KAFKA_SSL_CA_LOCATION", "CA bundle file for SSL"),
        ("KAFKA_ASSIGNMENT_STRATEGY", "roundrobin|range|cooperative-sticky (default roundrobin)"),
        ("KAFKA_CONSUMER_CONFIG / KAFKA_PRODUCER_CONFIG", "extra librdkafka properties k=v,k=v, applied last"),
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
        ("LOG_LEVEL", "trace|debug|info|notice|warning|error|critical (default info)"),
        ("LOG_FORMAT", "json|text (default text on a terminal, json otherwise)"),
        ("FIXTURES_DIR", "fixture folder for the embedded broker and replay (default Fixtures)"),
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
    ]

    /// Reads `environment`; keys of `overrides` (same names, from flags) win.
    public static func load(environment: [String: String], overrides: [String: String] = [:]) throws(ConfigError) -> WorkerConfig {
        let source = environment.merging(overrides) { $1 }
        func value(_ name: String) -> String? {
            guard let raw = source[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            guard let raw = value(name) else { return nil }
            guard let number = Int(raw), range.contains(number) else {
                throw ConfigError(variable: name, value: raw, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }
        func choice(_ name: String, _ options: [String]) throws(ConfigError) -> String? {
            guard let raw = value(name) else { return nil }
            guard options.contains(raw.lowercased()) else {
                throw ConfigError(variable: name, value: raw, expected: "one of \(options.joined(separator: ", "))")
            }
            return raw.lowercased()
        }
        func properties(_ name: String) throws(ConfigError) -> KafkaProperties {
            guard let raw = value(name) else { return KafkaProperties() }
            guard let parsed = KafkaProperties.parse(list: raw) else {
                throw ConfigError(variable: name, value: raw, expected: "librdkafka properties as key=value,key=value")
            }
            return parsed
        }

        var config = WorkerConfig()
        if let brokers = value("KAFKA_BROKERS") {
            let valid = brokers.split(separator: ",").allSatisfy { entry in
                let parts = entry.split(separator: ":")
                return parts.count >= 2 && Int(parts.last!) != nil
            }
            guard valid else { throw ConfigError(variable: "KAFKA_BROKERS", value: brokers, expected: "host:port[,host:port…]") }
            config.kafka.brokers = brokers
        }
        if let group = value("KAFKA_GROUP_ID") { config.kafka.groupID = group }
        if let client = value("KAFKA_CLIENT_ID") { config.kafka.clientID = client }
        if let security = try choice("KAFKA_SECURITY_PROTOCOL", ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]) {
            config.kafka.securityProtocol = security
        }
        if let mechanism = value("KAFKA_SASL_MECHANISM") {
            let allowed = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
            guard allowed.contains(mechanism.uppercased()) else {
                throw ConfigError(variable: "KAFKA_SASL_MECHANISM", value: mechanism, expected: "one of \(allowed.joined(separator: ", "))")
            }
            config.kafka.saslMechanism = mechanism.uppercased()
        }
        config.kafka.saslUsername = value("KAFKA_SASL_USERNAME")
        config.kafka.saslPassword = value("KAFKA_SASL_PASSWORD")
        config.kafka.sslCALocation = value("KAFKA_SSL_CA_LOCATION")
        if let strategy = try choice("KAFKA_ASSIGNMENT_STRATEGY", ["roundrobin", "range", "cooperative-sticky"]) {
            config.kafka.assignmentStrategy = strategy
        }
        config.kafka.consumerExtra = try properties("KAFKA_CONSUMER_CONFIG")
        config.kafka.producerExtra = try properties("KAFKA_PRODUCER_CONFIG")
        if let topic = value("TOPIC_LEAD_CREATED") { config.kafka.topics.leadCreated = topic }
        if let topic = value("TOPIC_LEAD_MESSAGE") { config.kafka.topics.leadMessage = topic }
        if let topic = value("TOPIC_PROCESS_REQUEST") { config.kafka.topics.processRequest = topic }
        if let topic = value("TOPIC_RESULT") { config.kafka.topics.result = topic }
        if let topic = value("TOPIC_ERROR") { config.kafka.topics.error = topic }
        if let guarantee = try choice("PROCESSING_GUARANTEE", ["at_least_once", "exactly_once"]) {
            guard guarantee == "at_least_once" else {
                throw ConfigError(variable: "PROCESSING_GUARANTEE", value: guarantee, expected: "at_least_once (exactly_once is not implemented in this version)")
            }
        }
        if let bytes = try integer("MAX_EVENT_BYTES", 1024...16_777_216) { config.maxEventBytes = bytes }
        if let bytes = try integer("ERROR_RAW_MAX_BYTES", 0...1_048_576) { config.errorRawMaxBytes = bytes }
        if let limit = try integer("MAX_IN_FLIGHT", 1...1_000_000) { config.pipeline.maxInFlight = limit }
        let explicitConcurrency = try integer("WORKER_CONCURRENCY", 1...10_000)
        if let timeout = try integer("SHUTDOWN_TIMEOUT_MS", 0...600_000) { config.pipeline.shutdownDeadline = .milliseconds(timeout) }
        if let timeout = try integer("STALL_TIMEOUT_MS", 1000...86_400_000) { config.pipeline.stallTimeout = .milliseconds(timeout) }
        if let attempts = try integer("OUTPUT_MAX_ATTEMPTS", 1...100) { config.pipeline.deliveryRetry.maxAttempts = attempts }
        try config.checkOutputsFitTheProducer()
        if let zone = value("DEFAULT_TIMEZONE") {
            guard TimeZone(identifier: zone) != nil else {
                throw ConfigError(variable: "DEFAULT_TIMEZONE", value: zone, expected: "an IANA time zone such as Asia/Kolkata")
            }
            config.defaultTimeZone = zone
        }
        if let currency = value("DEFAULT_CURRENCY") {
            guard let code = LocaleCodes.currency(currency) else {
                throw ConfigError(variable: "DEFAULT_CURRENCY", value: currency, expected: "an ISO 4217 code such as INR")
            }
            config.defaultCurrency = code
        }
        if let country = value("DEFAULT_COUNTRY") {
            guard let code = LocaleCodes.country(country) else {
                throw ConfigError(variable: "DEFAULT_COUNTRY", value: country, expected: "an ISO 3166 alpha-2 code such as IN")
            }
            config.defaultCountry = code
        }
        if let port = try integer("HTTP_PORT", 0...65_535) { config.httpPort = port }
        if let level = try choice("LOG_LEVEL", Logger.Level.allCases.map(\.rawValue)) { config.logLevel = Logger.Level(rawValue: level)! }
        config.logFormat = try choice("LOG_FORMAT", ["json", "text"])
        if let directory = value("FIXTURES_DIR") { config.fixturesDirectory = directory }
        if let url = value("REDIS_URL") {
            guard url.hasPrefix("redis://") || url.hasPrefix("rediss://") else {
                throw ConfigError(variable: "REDIS_URL", value: url, expected: "redis://[:password@]host:port/db")
            }
            config.redisURL = url
        }
        if let ttl = try integer("CACHE_TTL_SECONDS", 1...604_800) { config.cacheTTLSeconds = ttl }
        if let provider = try choice("LLM_PROVIDER", ["none", "openai", "anthropic"]) { config.llmProvider = provider }
        if let url = config.redisURL, !url.hasPrefix("redis://") {
            throw ConfigError(variable: "REDIS_URL", value: redactingPassword(url), expected: "redis://[:password@]host:port/db (TLS rediss:// is not supported by hiredis 0.14)")
        }
        if let url = config.redisURL, RedisEndpoint(url: url) == nil {
            throw ConfigError(variable: "REDIS_URL", value: redactingPassword(url), expected: "redis://[[user]:password@]host[:port][/db]")
        }
        if let size = try integer("CACHE_LRU_SIZE", 1...10_000_000) { config.cacheLRUSize = size }
        if let timeout = try integer("REDIS_TIMEOUT_MS", 1...60_000) { config.redisTimeoutMilliseconds = timeout }
        func decimal(_ name: String, _ range: ClosedRange<Double>) throws(ConfigError) -> Double? {
            guard let raw = value(name) else { return nil }
            guard let number = Double(raw), number.isFinite, range.contains(number) else {
                throw ConfigError(variable: name, value: raw, expected: "a number in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }
        if let url = value("LLM_BASE_URL") {
            guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > "https://".count else {
                throw ConfigError(variable: "LLM_BASE_URL", value: url, expected: "an http:// or https:// URL such as https://api.openai.com/v1")
            }
            config.llm.baseURL = url
        }
        config.llm.apiKey = value("LLM_API_KEY")
        config.llm.model = value("LLM_MODEL")
        config.llm.complexModel = value("LLM_MODEL_COMPLEX")
        if let threshold = try decimal("LLM_CONFIDENCE_THRESHOLD", 0...1) { config.llm.confidenceThreshold = threshold }
        if let timeout = try integer("LLM_TIMEOUT_MS", 100...600_000) { config.llm.timeoutMilliseconds = timeout }
        if let retries = try integer("LLM_MAX_RETRIES", 0...10) { config.llm.maxRetries = retries }
        if let deadline = try integer("LLM_DEADLINE_MS", 100...3_600_000) { config.llm.deadlineMilliseconds = deadline }
        if let raw = value("LLM_DAILY_BUDGET_USD"), raw.lowercased() == "unlimited" {
            config.llm.dailyBudgetUSD = nil
        } else if let budget = try decimal("LLM_DAILY_BUDGET_USD", 0...1_000_000) {
            config.llm.dailyBudgetUSD = budget
        }
        if let format = try choice("LLM_RESPONSE_FORMAT", LLMResponseFormat.allCases.map(\.rawValue)) {
            config.llm.responseFormat = LLMResponseFormat(rawValue: format) ?? .jsonSchema
        }
        if let raw = value("LLM_PRICES") {
            guard let table = PriceTable.parse(raw) else {
                throw ConfigError(variable: "LLM_PRICES", value: raw, expected: "model=input/output[,model=input/output…] in USD per million tokens, * for unknown models")
            }
            config.llm.prices = table
        }
        if let failures = try integer("LLM_BREAKER_FAILURES", 1...1000) { config.llm.breakerFailures = failures }
        if let cooldown = try integer("LLM_BREAKER_COOLDOWN_MS", 100...3_600_000) { config.llm.breakerCooldownMilliseconds = cooldown }
        if config.llmProvider == "anthropic", config.llm.apiKey == nil {
            throw ConfigError(variable: "LLM_API_KEY", value: "", expected: "an Anthropic API key when LLM_PROVIDER=anthropic")
        }
        // Rules-only analysis is CPU-bound: more tasks than cores only add wake-ups. Tiers that
        // wait on the network (LLM, Redis) need many events in flight per replica.
        let waitsOnNetwork = config.llmProvider != "none" || config.redisURL != nil
        config.pipeline.concurrency = explicitConcurrency ?? (waitsOnNetwork ? 256 : max(2, ProcessInfo.processInfo.activeProcessorCount))
        return config
    }

    /// Consumer properties: defaults for this daemon, security, then the operator's extras.
    public func consumerProperties(bootstrap: String) -> KafkaProperties {
        var properties = commonProperties(bootstrap: bootstrap)
        properties["group.id"] = kafka.groupID
        properties["partition.assignment.strategy"] = kafka.assignmentStrategy
        properties.merge(kafka.consumerExtra)
        return properties
    }

    public func producerProperties(bootstrap: String) -> KafkaProperties {
        var properties = commonProperties(bootstrap: bootstrap)
        properties.merge(kafka.producerExtra)
        return properties
    }

    private func commonProperties(bootstrap: String) -> KafkaProperties {
        var properties = KafkaProperties()
        properties["bootstrap.servers"] = bootstrap
        properties["client.id"] = kafka.clientID
        properties["security.protocol"] = kafka.securityProtocol
        if let mechanism = kafka.saslMechanism { properties["sasl.mechanisms"] = mechanism }
        if let username = kafka.saslUsername { properties["sasl.username"] = username }
        if let password = kafka.saslPassword { properties["sasl.password"] = password }
        if let location = kafka.sslCALocation { properties["ssl.ca.location"] = location }
        return properties
    }

    /// Start-up summary with secrets redacted.
    public var description: String {
        let brokers = kafka.brokers ?? "embedded"
        let sasl = kafka.saslUsername.map { "\($0):\(kafka.saslPassword == nil ? "" : "****")" } ?? "none"
        let redis = redisURL.map(Self.redactingPassword) ?? "none"
        return "brokers=\(brokers) group=\(kafka.groupID) security=\(kafka.securityProtocol) sasl=\(sasl) strategy=\(kafka.assignmentStrategy) "
            + "topics=\(kafka.topics.inputs.joined(separator: ","))→\(kafka.topics.result),\(kafka.topics.error) guarantee=\(guarantee.rawValue) "
            + "max_in_flight=\(pipeline.maxInFlight) concurrency=\(pipeline.concurrency) max_event_bytes=\(maxEventBytes) "
            + "defaults=\(defaultTimeZone)/\(defaultCurrency)/\(defaultCountry) redis=\(redis) llm=\(llmConfiguration.map(\.description) ?? "none") http_port=\(httpPort)"
    }

    public static func redactingPassword(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + "****" + String(url[at...])
    }
}

extension WorkerConfig {
    /// The same configuration with another consumer group.
    public func withGroup(_ group: String) -> WorkerConfig {
        var copy = self
        copy.kafka.groupID = group
        return copy
    }
}

extension WorkerConfig {
    /// Bootstraps swift-log once per process (`LOG_LEVEL`, `LOG_FORMAT`: text on a terminal,
    /// JSON otherwise) and returns the executable's logger.
    public func bootstrapLogging(label: String) -> Logger {
        let format = logFormat.flatMap(MaskingLogHandler.Format.init(rawValue:)) ?? (isatty(STDERR_FILENO) == 1 ? .text : .json)
        let level = logLevel
        LoggingSystem.bootstrap { label in MaskingLogHandler(label: label, level: level, format: format) }
        return Logger(label: label)
    }
}
