import Logging
import PostgresNIO

/// One transaction on a pooled connection, and how a failed one is ended.
extension ResultApplier {

    func withTransaction<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws(PersistenceError) -> T {
        let logger = self.logger
        do {
            return try await client.withConnection { connection in
                try await connection.run("BEGIN", logger: logger)
                do {
                    let value = try await body(connection)
                    try await connection.run("COMMIT", logger: logger)
                    return value
                } catch {
                    await Self.abandonTransaction(on: connection, after: error, logger: logger)
                    throw error
                }
            }
        } catch {
            throw await database?.explain(error, logger: logger) ?? PersistenceError.classify(error)
        }
    }

    /// Ends a failed transaction so the connection can go back to the pool: ROLLBACK when the
    /// connection is healthy (a server error), else close it (the server rolls back and the pool
    /// replaces it). A ROLLBACK that gets no answer within 5 s closes the connection too: a
    /// write racing the connection's close could otherwise wait forever.
    static func abandonTransaction(on connection: PostgresConnection, after error: any Error, logger: Logger) async {
        let failure = PersistenceError.classify(error)
        let serverAnswered = failure.sqlState.map { !$0.hasPrefix("08") && !$0.hasPrefix("57P") } ?? false
        if serverAnswered, !connection.isClosed {
            let rolledBack = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    (try? await connection.run("ROLLBACK", logger: logger)) != nil
                }
                group.addTask {
                    guard (try? await Task.sleep(for: .seconds(5))) != nil else { return false }
                    try? await connection.close()
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            if rolledBack { return }
        }
        try? await connection.close()
    }
}

/// SQL text with its bindings, for statements assembled from parts (placeholders are numbered
/// in the order values are bound, whatever the order of the text).
struct SQLBuilder {
    var text = ""
    var bindings = PostgresBindings()

    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: text, binds: bindings) }
}

// Every statement's result is read to the end: postgres-nio reports an error that follows a
// RowDescription (a trigger, a constraint checked at the end of a statement with RETURNING or a
// final SELECT) only to whoever consumes the rows. Dropping the sequence would lose the error,
// and the COMMIT of the aborted transaction would then roll back silently.
extension PostgresConnection {
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger, file: file, line: line).collect()
    }
}

extension PostgresClient {
    @discardableResult
    func run(_ query: PostgresQuery, logger: Logger, file: String = #fileID, line: Int = #line) async throws -> [PostgresRow] {
        try await self.query(query, logger: logger, file: file, line: line).collect()
    }
}

extension Array where Element == PostgresRow {
    func decode<Column: PostgresDecodable>(_: Column.Type) throws -> [Column] {
        try map { try $0.decode(Column.self) }
    }

    func decode<each Column: PostgresDecodable>(_ type: (repeat each Column).Type) throws -> [(repeat each Column)] {
        try map { try $0.decode(type, context: .default) }
    }
}
