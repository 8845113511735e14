import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO

/// PostgreSQL connection settings, usually parsed from `DATABASE_URL`
/// (`postgres://user:pass@host:port/db?sslmode=disable|prefer|require|verify-ca|verify-full`).
///
/// `description` redacts the password.
public struct DatabaseConfig: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode` values; `allow` is read as `prefer`.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    public static let expectedForm = "postgres://user:password@host:port/database?sslmode=disable|prefer|require|verify-ca|verify-full"

    public var host: String
    public var port: Int = 5432
    public var username: String = "postgres"
    public var password: String?
    public var database: String?
    public var tlsMode: TLSMode = .prefer
    /// When set, connections use it as `search_path` and migrations create it (tests use one per test).
    public var schema: String?
    /// Upper bound of the connection pool.
    public var maximumConnections: Int = 8
    public var connectTimeout: Duration = .seconds(10)
    /// Sent as `application_name`, visible in `pg_stat_activity`.
    public var applicationName: String = "backend-worker"

    public init(host: String, port: Int = 5432, username: String = "postgres", password: String? = nil, database: String? = nil, tlsMode: TLSMode = .prefer) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.tlsMode = tlsMode
    }

    /// Parses a `DATABASE_URL`. Throws `PersistenceError` with code `.invalidConfiguration`, naming
    /// the variable and the expected form (never the password).
    public init(url: String, variable: String = "DATABASE_URL") throws(PersistenceError) {
        func invalid(_ why: String) -> PersistenceError {
            PersistenceError(
                code: .invalidConfiguration,
                message: "\(variable) is invalid: \(why); expected \(DatabaseConfig.expectedForm)"
            )
        }
        let trimmed = url.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw invalid("it is empty") }
        guard let components = URLComponents(string: trimmed) else { throw invalid("it is not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("the scheme must be postgres:// or postgresql://")
        }
        var host = components.host ?? ""
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        host = host.removingPercentEncoding ?? host
        guard !host.isEmpty else { throw invalid("the host is missing") }
        self.host = host
        if let port = components.port {
            guard (1...65535).contains(port) else { throw invalid("the port is out of range") }
            self.port = port
        }
        if let user = components.user, !user.isEmpty { self.username = user }
        if let password = components.password { self.password = password }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        if !path.isEmpty {
            guard !path.contains("/") else { throw invalid("the database name contains '/'") }
            self.database = path.removingPercentEncoding ?? path
        }
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "sslmode":
                switch value {
                case "allow": self.tlsMode = .prefer
                default:
                    guard let mode = TLSMode(rawValue: value) else { throw invalid("unknown sslmode '\(value)'") }
                    self.tlsMode = mode
                }
            case "connect_timeout":
                guard let seconds = Int(value), seconds > 0 else { throw invalid("connect_timeout must be a positive number of seconds") }
                self.connectTimeout = .seconds(seconds)
            case "application_name":
                self.applicationName = value
            case "pool_max", "max_connections":
                guard let count = Int(value), count > 0 else { throw invalid("\(item.name) must be a positive integer") }
                self.maximumConnections = count
            case "search_path", "schema":
                guard DatabaseConfig.isValidIdentifier(value) else { throw invalid("\(item.name) must be a plain identifier") }
                self.schema = value
            default:
                // Other libpq parameters are accepted and ignored (forward compatible).
                continue
            }
        }
    }

    /// The same settings with another database name (tests create one database or schema each).
    public func with(database: String?) -> DatabaseConfig {
        var copy = self
        copy.database = database
        return copy
    }

    public func with(schema: String?) -> DatabaseConfig {
        var copy = self
        copy.schema = schema
        return copy
    }

    /// `host:port/database`, for errors and logs (no user, no password).
    public var endpoint: String {
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(shownHost):\(port)/\(database ?? username)"
    }

    public var description: String {
        var text = "postgres://\(username)"
        if password != nil { text += ":***" }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        text += "@\(shownHost):\(port)/\(database ?? "")?sslmode=\(tlsMode.rawValue)"
        if let schema { text += "&search_path=\(schema)" }
        return text
    }

    /// The postgres-nio client configuration for these settings.
    public func clientConfiguration() -> PostgresClient.Configuration {
        let tls = tlsSettings.map { settings -> PostgresClient.Configuration.TLS in
            settings.required ? .require(settings.configuration) : .prefer(settings.configuration)
        } ?? .disable
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: username, password: password, database: database, tls: tls
        )
        configuration.options.maximumConnections = maximumConnections
        configuration.options.connectTimeout = connectTimeout
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// The same settings for one connection outside the pool (`checkConnection`).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls = try tlsSettings.map { settings -> PostgresConnection.Configuration.TLS in
            let context = try NIOSSLContext(configuration: settings.configuration)
            return settings.required ? .require(context) : .prefer(context)
        } ?? .disable
        var configuration = PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = TimeAmount(connectTimeout)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }

    /// libpq's `sslmode` as NIO TLS settings: nil for `disable`; `required` unless `prefer`.
    /// `prefer` and `require` encrypt without verifying the certificate, as libpq does.
    private var tlsSettings: (configuration: TLSConfiguration, required: Bool)? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable:
            return nil
        case .prefer, .require:
            configuration.certificateVerification = .none
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
        case .verifyFull:
            break
        }
        return (configuration, tlsMode != .prefer)
    }

    private var startupParameters: [(String, String)] {
        var parameters: [(String, String)] = [("application_name", applicationName)]
        if let schema { parameters.append(("search_path", schema)) }
        return parameters
    }

    /// A new client for these settings; the caller must `run()` it (e.g. in a ServiceGroup).
    public func makeClient(logger: Logger) -> PostgresClient {
        PostgresClient(configuration: clientConfiguration(), backgroundLogger: logger)
    }

    /// Lower-case letters, digits and underscores, starting with a letter or underscore, at most 63 bytes.
    public static func isValidIdentifier(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 63 else { return false }
        guard first == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else { return false }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}
