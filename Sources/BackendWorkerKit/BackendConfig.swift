import AIWorkerKit
import Foundation
import Persistence

/// backend-worker's configuration: the same Kafka, logging and HTTP variables as ai-worker
/// (with its own defaults: group `biznavigate-backend-group`, client `backend-worker`, port
/// 9465), plus `DATABASE_URL` and batching.
public struct BackendConfig: Sendable, CustomStringConvertible {
    public var common: WorkerConfig
    public var database: DatabaseConfig
    /// Results applied in one database transaction.
    public var batchSize = 500

    public static let variables: [(name: String, help: String)] = [
        ("DATABASE_URL", "PostgreSQL: \(DatabaseConfig.expectedForm) (required; or libpq's PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE, PGSSLMODE)"),
        ("BACKEND_BATCH_SIZE", "results per database transaction (default 500)"),
        ("KAFKA_*, TOPIC_RESULT, TOPIC_ERROR, HTTP_PORT, LOG_*", "as for ai-worker; KAFKA_GROUP_ID defaults to biznavigate-backend-group, HTTP_PORT to 9465"),
    ]

    public static func load(environment: [String: String], overrides: [String: String] = [:]) throws(ConfigError) -> BackendConfig {
        var source = environment.merging(overrides) { $1 }
        func isUnset(_ name: String) -> Bool { source[name]?.trimmingCharacters(in: .whitespaces).isEmpty ?? true }
        if isUnset("KAFKA_GROUP_ID") { source["KAFKA_GROUP_ID"] = "biznavigate-backend-group" }
        if isUnset("KAFKA_CLIENT_ID") { source["KAFKA_CLIENT_ID"] = "backend-worker" }
        if isUnset("HTTP_PORT") { source["HTTP_PORT"] = "9465" }
        let common = try WorkerConfig.load(environment: source)
        guard let url = source["DATABASE_URL"].flatMap({ $0.isEmpty ? nil : $0 }) ?? Self.urlFromLibpqVariables(source) else {
            throw ConfigError(variable: "DATABASE_URL", value: "", expected: DatabaseConfig.expectedForm + " (or PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE)")
        }
        let database: DatabaseConfig
        do {
            database = try DatabaseConfig(url: url)
        } catch {
            throw ConfigError(variable: "DATABASE_URL", value: WorkerConfig.redactingPassword(url), expected: DatabaseConfig.expectedForm)
        }
        var config = BackendConfig(common: common, database: database)
        if let raw = source["BACKEND_BATCH_SIZE"], !raw.isEmpty {
            guard let size = Int(raw), (1...10_000).contains(size) else {
                throw ConfigError(variable: "BACKEND_BATCH_SIZE", value: raw, expected: "an integer in 1...10000")
            }
            config.batchSize = size
        }
        return config
    }

    /// A URL from libpq's usual variables when `DATABASE_URL` is unset and `PGHOST` is set.
    static func urlFromLibpqVariables(_ source: [String: String]) -> String? {
        guard let host = source["PGHOST"], !host.isEmpty else { return nil }
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? text }
        let user = source["PGUSER"].map(encoded) ?? "postgres"
        let password = source["PGPASSWORD"].map { ":" + encoded($0) } ?? ""
        let port = source["PGPORT"] ?? "5432"
        let database = source["PGDATABASE"] ?? user
        let mode = source["PGSSLMODE"].map { "?sslmode=\($0)" } ?? ""
        return "postgres://\(user)\(password)@\(host):\(port)/\(database)\(mode)"
    }

    public var description: String {
        "database=\(database) batch=\(batchSize) brokers=\(common.kafka.brokers ?? "embedded") group=\(common.kafka.groupID) "
            + "topics=\(common.kafka.topics.result),\(common.kafka.topics.error) http_port=\(common.httpPort)"
    }
}

