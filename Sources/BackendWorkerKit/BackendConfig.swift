import Foundation
import Persistence
import WorkerSupport

/// backend-worker's configuration: only what it reads (Kafka, its two topics, HTTP, logs,
/// `DATABASE_URL` and batching); ai-worker's variables (`LLM_*`, `REDIS_URL`, …) are ignored.
public struct BackendConfig: Sendable, CustomStringConvertible {
    public var kafka = KafkaSettings(groupID: "biznavigate-backend-group", clientID: "backend-worker")
    public var topics = InboundTopics()
    public var log = LogSettings()
    /// Metrics/health port; 0 disables.
    public var httpPort = 9465
    public var database: DatabaseConfig
    /// Results applied in one database transaction.
    public var batchSize = 500
    /// How long SIGTERM lets the running batch finish (then it is abandoned, not committed).
    public var shutdownTimeout: Duration = .seconds(25)

    public init(database: DatabaseConfig) { self.database = database }

    static let brokersHelp = "bootstrap servers host:port,… (required by the daemon; locally `ai-worker broker --load-fixtures` starts one and prints it)"

    public static let variables: [(name: String, help: String)] = [
        ("DATABASE_URL", "PostgreSQL: \(DatabaseConfig.expectedForm) (required; or libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE)"),
        ("BACKEND_BATCH_SIZE", "results per database transaction (default 500)"),
        ("TOPIC_RESULT, TOPIC_ERROR", "topic names (default ai.process.result, ai.error)"),
        ("HTTP_PORT", "metrics/health port, 0 disables (default 9465)"),
        ("SHUTDOWN_TIMEOUT_MS", "how long SIGTERM lets the running batch finish before abandoning it, uncommitted (default 25000)"),
    ] + KafkaSettings.variables(defaults: BackendConfig(database: DatabaseConfig(host: "localhost")).kafka, brokers: brokersHelp) + LogSettings.variables

    public static func load(environment: [String: String], overrides: [String: String] = [:]) throws(ConfigError) -> BackendConfig {
        let reader = ConfigReader(environment: environment, overrides: overrides)
        guard let url = reader.value("DATABASE_URL") ?? Self.urlFromLibpqVariables(reader) else {
            throw ConfigError(variable: "DATABASE_URL", value: "", expected: DatabaseConfig.expectedForm + " (or PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)")
        }
        let database: DatabaseConfig
        do {
            database = try DatabaseConfig(url: url)
        } catch {
            throw ConfigError(variable: "DATABASE_URL", value: ConfigReader.redactingPassword(url), expected: DatabaseConfig.expectedForm)
        }
        var config = BackendConfig(database: database)
        config.kafka = try KafkaSettings.read(reader, defaults: config.kafka)
        if let topic = reader.value("TOPIC_RESULT") { config.topics.results = topic }
        if let topic = reader.value("TOPIC_ERROR") { config.topics.errors = topic }
        if let port = try reader.integer("HTTP_PORT", 0...65_535) { config.httpPort = port }
        config.log = try LogSettings.read(reader)
        if let size = try reader.integer("BACKEND_BATCH_SIZE", 1...10_000) { config.batchSize = size }
        if let timeout = try reader.integer("SHUTDOWN_TIMEOUT_MS", 0...600_000) { config.shutdownTimeout = .milliseconds(timeout) }
        return config
    }

    /// The bootstrap servers the daemon needs; without them, an error that says how to get one.
    public func requiredBrokers() throws(ConfigError) -> String {
        guard let brokers = kafka.brokers else {
            throw ConfigError(
                variable: "KAFKA_BROKERS", value: "",
                expected: "the cluster's host:port,… — backend-worker has no embedded broker: for a local chain run "
                    + "`ai-worker broker --load-fixtures` and use the KAFKA_BROKERS it prints (scripts/run-chain.sh does all of it)"
            )
        }
        return brokers
    }

    /// A URL from libpq's usual variables when `DATABASE_URL` is unset and `PGHOST` is set.
    static func urlFromLibpqVariables(_ reader: ConfigReader) -> String? {
        guard let host = reader.value("PGHOST") else { return nil }
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? text }
        let user = reader.value("PGUSER").map(encoded) ?? "postgres"
        let password = reader.value("PGPASSWORD").map { ":" + encoded($0) } ?? ""
        let port = reader.value("PGPORT") ?? "5432"
        let database = reader.value("PGDATABASE") ?? user
        let mode = reader.value("PGSSLMODE").map { "?sslmode=\($0)" } ?? ""
        return "postgres://\(user)\(password)@\(host):\(port)/\(database)\(mode)"
    }

    public var description: String {
        "database=\(database) batch=\(batchSize) \(kafka.summary(unsetBrokers: "unset")) topics=\(topics.results),\(topics.errors) http_port=\(httpPort)"
    }
}
