import Foundation
import NIOCore
import NIOPosix
import PostgresNIO
import _ConnectionPoolModule

/// The one error type of the `Persistence` module.
///
/// `description` is safe for logs and metrics: no password, no customer text, no stack trace.
/// `debugDescription` adds the server's detail. `isRetryable` is decided where the error is made:
/// transient database conditions (connection lost, serialization failure, deadlock, server shutting
/// down, too many connections) are retryable; a bad payload or a constraint violation is not.
public struct PersistenceError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A bounded code, usable as a metric label and stored as `dead_letter_queue.error_code`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// `DATABASE_URL` or another setting is malformed.
        public static let invalidConfiguration = Code("INVALID_CONFIGURATION")
        /// The Kafka value is not a valid `ai.process.result` / `ai.error` event.
        public static let invalidPayload = Code("INVALID_PAYLOAD")
        /// The record came from a topic this worker does not consume.
        public static let unexpectedTopic = Code("UNEXPECTED_TOPIC")
        /// The result's business does not match the stored lead.
        public static let businessMismatch = Code("BUSINESS_MISMATCH")
        /// The result's tenant does not match the stored lead.
        public static let tenantMismatch = Code("TENANT_MISMATCH")
        /// An `ai.error` that names no lead (or an unknown lead without a business id).
        public static let unroutableError = Code("UNROUTABLE_AI_ERROR")
        /// Connection refused, lost or closed; retryable.
        public static let connection = Code("DB_CONNECTION")
        /// Serialization failure or deadlock (SQLSTATE 40001, 40P01); retryable.
        public static let conflict = Code("DB_CONFLICT")
        /// The server is shutting down, starting up or out of resources; retryable.
        public static let unavailable = Code("DB_UNAVAILABLE")
        /// A server error caused by the record's data (constraint, invalid value, raised by a
        /// trigger...): permanent, the record is dead-lettered.
        public static let database = Code("DB_ERROR")
        /// The database refuses every record alike (missing table, permission, authentication,
        /// unknown database or schema): retried, so that nothing is dead-lettered while an
        /// operator fixes it; logged at error level.
        public static let misconfigured = Code("DB_MISCONFIGURED")
        /// Applying the shipped migrations failed.
        public static let migration = Code("MIGRATION_FAILED")
        /// The dead-letter entry asked for does not exist.
        public static let notFound = Code("NOT_FOUND")
        /// The client was closed or the task cancelled: the worker is stopping.
        public static let shutdown = Code("SHUTDOWN")
        /// Anything not classified above.
        public static let unexpected = Code("UNEXPECTED")
    }

    public var code: Code
    public var isRetryable: Bool
    /// Safe, constant-ish text (never customer data).
    public var message: String
    /// SQLSTATE of a server error, when there was one.
    public var sqlState: String?
    /// Kafka position of the record being applied, when known.
    public var topic: String?
    public var partition: Int32?
    public var offset: Int64?
    /// The server's message and detail, or the underlying error; for `debugDescription` only.
    public var detail: String?
    /// `host:port/database` of the server, when the error concerns it (never the password).
    public var endpoint: String?
    /// The pool gave up connecting without saying why (`DatabaseConfig.explain` finds out).
    var causeUnknown = false

    public init(
        code: Code,
        isRetryable: Bool = false,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil
    ) {
        self.code = code
        self.isRetryable = isRetryable
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
    }

    public var description: String {
        var text = "\(code): \(message)"
        if let endpoint { text += " (database \(endpoint))" }
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        if let topic, let partition, let offset { text += " at \(topic)[\(partition)]@\(offset)" }
        return text
    }

    public var debugDescription: String {
        guard let detail else { return description }
        return "\(description); \(detail)"
    }

    func at(topic: String, partition: Int32, offset: Int64) -> PersistenceError {
        var copy = self
        copy.topic = topic
        copy.partition = partition
        copy.offset = offset
        return copy
    }

    /// The same error naming the server it concerns.
    public func on(_ endpoint: String?) -> PersistenceError {
        var copy = self
        copy.endpoint = copy.endpoint ?? endpoint
        return copy
    }

    static func invalidPayload(_ message: String) -> PersistenceError {
        PersistenceError(code: .invalidPayload, message: message)
    }

    /// Classifies any error thrown by postgres-nio, NIO or our own code.
    public static func classify(_ error: any Error) -> PersistenceError {
        if let error = error as? PersistenceError { return error }
        if error is CancellationError {
            return PersistenceError(code: .shutdown, message: "cancelled")
        }
        if let error = error as? PostgresTransactionError {
            // Our own code does not use withTransaction, but be safe: the first failure decides.
            if let inner = error.beginError ?? error.closureError ?? error.commitError {
                return classify(inner)
            }
        }
        if let error = error as? PSQLError {
            return classify(psql: error)
        }
        // postgres-nio's pool gives up on new connections after a while of failing: the database
        // is down. A request cancelled or a pool shut down means the worker is stopping.
        if let error = error as? ConnectionPoolError {
            if error == .connectionCreationCircuitBreakerTripped {
                var failure = PersistenceError(
                    code: .connection, isRetryable: true, message: "no connection could be opened for a while (database down or unreachable)",
                    detail: "\(error)"
                )
                failure.causeUnknown = true
                return failure
            }
            return PersistenceError(code: .shutdown, message: "database client stopped", detail: "\(error)")
        }
        if let cause = connectionCause(error) {
            return PersistenceError(code: .connection, isRetryable: true, message: "cannot connect: \(cause)", detail: "\(error)")
        }
        return PersistenceError(code: .unexpected, message: "unexpected error", detail: String(reflecting: error))
    }

    private static func classify(psql error: PSQLError) -> PersistenceError {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "XX000"
            let serverMessage = error.serverInfo?[.message] ?? ""
            let serverDetail = error.serverInfo?[.detail]
            let detail = [serverMessage, serverDetail].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "; ")
            let (code, retryable) = classify(sqlState: state)
            let message = state.hasPrefix("28") ? "authentication failed" : state == "3D000" ? "unknown database" : "server error"
            return PersistenceError(
                code: code, isRetryable: retryable, message: message, sqlState: state,
                detail: detail.isEmpty ? nil : detail
            )
        case .connectionError:
            let cause = error.underlying.flatMap(connectionCause) ?? "connection failed"
            return PersistenceError(
                code: .connection, isRetryable: true, message: "cannot connect: \(cause)", detail: "\(error.code) \(error.underlying.map { "\($0)" } ?? "")"
            )
        case .serverClosedConnection, .uncleanShutdown, .messageDecodingFailure, .unexpectedBackendMessage:
            return PersistenceError(
                code: .connection, isRetryable: true, message: "connection lost", detail: "\(error.code)"
            )
        case .queryCancelled:
            return PersistenceError(code: .unavailable, isRetryable: true, message: "query cancelled")
        case .clientClosedConnection, .poolClosed:
            return PersistenceError(code: .shutdown, message: "database client closed", detail: "\(error.code)")
        default:
            return PersistenceError(
                code: .connection, isRetryable: false, message: "connection setup failed", detail: "\(error.code)"
            )
        }
    }

    /// Transient SQLSTATEs: class 08 (connection), 40001 / 40P01 (serialization, deadlock),
    /// 57P01–57P03 (admin / crash shutdown, cannot connect now), 57014 (statement timeout),
    /// class 53 (insufficient resources), 55P03 (lock not available), 58000 / 58030 (system, I/O).
    /// Environment errors, retried too: classes 28 (authentication), 3D / 3F (unknown database,
    /// schema), 42 (undefined table or column, permission), 25 (transaction state), 0A.
    /// Everything else (22 data, 23 integrity, P0001 raised, 54 limits...) is permanent.
    public static func classify(sqlState state: String) -> (Code, retryable: Bool) {
        if state.hasPrefix("08") { return (.connection, true) }
        switch state {
        case "40001", "40P01": return (.conflict, true)
        case "57P01", "57P02", "57P03", "57014", "55P03", "58000", "58030": return (.unavailable, true)
        default: break
        }
        if state.hasPrefix("53") { return (.unavailable, true) }
        for environmentClass in ["28", "3D", "3F", "42", "25", "0A"] where state.hasPrefix(environmentClass) {
            return (.misconfigured, true)
        }
        return (.database, false)
    }

    /// Why a connection could not be made: refused, timeout, unreachable, host not found;
    /// nil when `error` is not about connecting.
    static func connectionCause(_ error: any Error) -> String? {
        if let error = error as? NIOConnectionError {
            if let failure = error.connectionErrors.first { return connectionCause(failure.error) ?? "connection failed" }
            return error.dnsAError != nil || error.dnsAAAAError != nil ? "host not found" : "no address to connect to"
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ETIMEDOUT: return "timeout"
            case EHOSTUNREACH, ENETUNREACH: return "host unreachable"
            default: return "connection failed (errno \(error.errnoCode))"
            }
        }
        if let error = error as? ChannelError {
            if case .connectTimeout = error { return "timeout" }
            return "connection failed (\(error))"
        }
        return nil
    }
}
