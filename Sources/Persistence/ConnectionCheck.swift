import Logging
import PostgresNIO

extension DatabaseConfig {
    /// Opens one connection outside the pool and closes it; throws why the server cannot be
    /// used (connection refused, timeout, host not found, authentication failed, unknown
    /// database), naming `host:port/database`. postgres-nio's pool keeps the cause to itself: it
    /// holds a request while it retries and in the end only says it gave up.
    public func checkConnection(logger: Logger) async throws(PersistenceError) {
        do {
            let connection = try await PostgresConnection.connect(configuration: try connectionConfiguration(), id: 0, logger: logger)
            try await connection.close()
        } catch {
            throw PersistenceError.classify(error).on(endpoint)
        }
    }

    /// `error` classified and naming this server; when it only says that the pool gave up
    /// connecting, the cause found by `checkConnection` instead.
    public func explain(_ error: any Error, logger: Logger) async -> PersistenceError {
        let classified = PersistenceError.classify(error).on(endpoint)
        guard classified.causeUnknown else { return classified }
        do {
            try await checkConnection(logger: logger)
            return classified
        } catch {
            return error
        }
    }
}
