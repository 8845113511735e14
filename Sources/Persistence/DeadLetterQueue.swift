import Foundation
import Logging
import PostgresNIO

/// One row of `dead_letter_queue`. Key and payload are the Kafka bytes, stored as text when they
/// are UTF-8 without NUL, else as base64 (`keyEncoding` / `payloadEncoding` say which).
public struct DeadLetterEntry: Sendable, Equatable {
    public var id: Int64
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: String?
    public var keyEncoding: String
    public var payload: String
    public var payloadEncoding: String
    public var eventID: String?
    public var leadID: String?
    public var errorCode: String
    public var error: String
    /// `failed`, `replayed` or `discarded`.
    public var status: String
    public var attempts: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var replayedAt: Date?

    /// The original Kafka value bytes.
    public var payloadBytes: [UInt8] { Self.bytes(payload, encoding: payloadEncoding) ?? [] }
    public var keyBytes: [UInt8]? { Self.bytes(key, encoding: keyEncoding) }

    static func storable(_ bytes: [UInt8]?) -> (text: String?, encoding: String) {
        guard let bytes else { return (nil, "utf8") }
        if !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) {
            return (text, "utf8")
        }
        return (Data(bytes).base64EncodedString(), "base64")
    }

    static func bytes(_ text: String?, encoding: String) -> [UInt8]? {
        guard let text else { return nil }
        if encoding == "base64" { return Data(base64Encoded: text).map(Array.init) ?? [] }
        return Array(text.utf8)
    }
}

/// Operator access to `dead_letter_queue` (`backend-worker dlq list|show|replay`). Re-applying an
/// entry is `ResultApplier.replayDeadLetter(id:)`.
public struct DeadLetterQueue: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    static let columns = """
        id, topic, partition, "offset", key, key_encoding, payload, payload_encoding, event_id, lead_id,
        error_code, error, status, attempts, created_at, updated_at, replayed_at
        """

    /// The most recent entries first; `status` filters (`failed` for the ones still to handle).
    public func list(limit: Int = 50, status: String? = nil) async throws(PersistenceError) -> [DeadLetterEntry] {
        let limit = max(1, min(limit, 10_000))
        do {
            let query: PostgresQuery = if let status {
                "SELECT \(unescaped: Self.columns) FROM dead_letter_queue WHERE status = \(status) ORDER BY created_at DESC, id DESC LIMIT \(limit)"
            } else {
                "SELECT \(unescaped: Self.columns) FROM dead_letter_queue ORDER BY created_at DESC, id DESC LIMIT \(limit)"
            }
            let rows = try await client.run(query, logger: logger)
            var entries: [DeadLetterEntry] = []
            for row in rows { entries.append(try Self.entry(row)) }
            return entries
        } catch {
            throw PersistenceError.classify(error)
        }
    }

    public func fetch(id: Int64) async throws(PersistenceError) -> DeadLetterEntry? {
        do {
            let rows = try await client.run(
                "SELECT \(unescaped: Self.columns) FROM dead_letter_queue WHERE id = \(id)", logger: logger
            )
            for row in rows { return try Self.entry(row) }
            return nil
        } catch {
            throw PersistenceError.classify(error)
        }
    }

    /// Marks a `failed` entry `replayed` (the operator re-published or fixed it by hand). Returns
    /// false when there is no such failed entry.
    @discardableResult
    public func markReplayed(id: Int64) async throws(PersistenceError) -> Bool {
        try await setStatus(id: id, to: "replayed", from: "failed", stampReplayed: true)
    }

    /// Marks a `failed` entry `discarded` (nothing to do). Returns false when there is no such failed entry.
    @discardableResult
    public func discard(id: Int64) async throws(PersistenceError) -> Bool {
        try await setStatus(id: id, to: "discarded", from: "failed", stampReplayed: false)
    }

    /// Entries per status, for a health or metrics endpoint.
    public func countByStatus() async throws(PersistenceError) -> [String: Int] {
        do {
            let rows = try await client.run(
                "SELECT status, count(*) FROM dead_letter_queue GROUP BY status", logger: logger
            )
            var counts: [String: Int] = [:]
            for (status, count) in try rows.decode((String, Int).self) { counts[status] = count }
            return counts
        } catch {
            throw PersistenceError.classify(error)
        }
    }

    private func setStatus(id: Int64, to status: String, from previous: String, stampReplayed: Bool) async throws(PersistenceError) -> Bool {
        do {
            let rows = try await client.run(
                """
                UPDATE dead_letter_queue
                SET status = \(status), updated_at = now(),
                    replayed_at = CASE WHEN \(stampReplayed) THEN now() ELSE replayed_at END
                WHERE id = \(id) AND status = \(previous)
                RETURNING id
                """,
                logger: logger
            )
            var changed = false
            for _ in rows { changed = true }
            return changed
        } catch {
            throw PersistenceError.classify(error)
        }
    }

    static func entry(_ row: PostgresRow) throws -> DeadLetterEntry {
        let (id, topic, partition, offset, key, keyEncoding, payload, payloadEncoding, eventID) =
            try row.decode((Int64, String, Int32, Int64, String?, String, String, String, String?).self)
        let columns = row.makeRandomAccess()
        return DeadLetterEntry(
            id: id, topic: topic, partition: partition, offset: offset,
            key: key, keyEncoding: keyEncoding, payload: payload, payloadEncoding: payloadEncoding,
            eventID: eventID,
            leadID: try columns["lead_id"].decode(String?.self),
            errorCode: try columns["error_code"].decode(String.self),
            error: try columns["error"].decode(String.self),
            status: try columns["status"].decode(String.self),
            attempts: try columns["attempts"].decode(Int.self),
            createdAt: try columns["created_at"].decode(Date.self),
            updatedAt: try columns["updated_at"].decode(Date.self),
            replayedAt: try columns["replayed_at"].decode(Date?.self)
        )
    }
}
