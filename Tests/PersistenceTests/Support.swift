import Events
import Foundation
import InMemoryLogging
import Logging
import PostgresNIO
import Testing

@testable import Persistence

/// Test scaffolding: a real PostgreSQL reached through `DATABASE_URL` (the test command starts one
/// with `scripts/pg-tempdb.sh start`), one fresh schema per test so suites run in parallel.
enum TestDatabase {
    struct MissingServer: Error, CustomStringConvertible {
        var description: String {
            "DATABASE_URL is not set: the PostgreSQL tests need a server. Start one with "
                + "`eval \"$(scripts/pg-tempdb.sh start)\"; export DATABASE_URL` and run the tests again"
        }
    }

    static func adminConfig() throws -> DatabaseConfig {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            Issue.record(Comment(rawValue: MissingServer().description))
            throw MissingServer()
        }
        var config = try DatabaseConfig(url: url)
        config.maximumConnections = 4
        return config
    }

    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16))"
    }

    /// In memory; `PERSISTENCE_TEST_LOG=1` prints to standard error instead (debugging).
    static func logger(_ label: String = "persistence-tests") -> Logger {
        let handler = InMemoryLogHandler()
        let toStderr = ProcessInfo.processInfo.environment["PERSISTENCE_TEST_LOG"] == "1"
        var logger = Logger(label: label) { label -> any LogHandler in toStderr ? StreamLogHandler.standardError(label: label) : handler }
        logger.logLevel = .debug
        return logger
    }

    /// Runs `body` with a running client on a fresh schema (migrated when `migrate`).
    static func withClient<T: Sendable>(
        config: DatabaseConfig? = nil,
        migrate: Bool = true,
        _ body: @Sendable (PostgresClient, DatabaseConfig) async throws -> T
    ) async throws -> T {
        let config = try config ?? adminConfig().with(schema: uniqueName("t"))
        let logger = logger()
        let client = PostgresClient(configuration: config.clientConfiguration(), backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            do {
                if migrate { try await Migrator(client: client, logger: logger).migrate() }
                let result = try await body(client, config)
                group.cancelAll()
                return result
            } catch {
                group.cancelAll()
                throw error
            }
        }
    }

    /// A fast retrier for tests (real sleeps of a few milliseconds; nothing waits on them).
    static func retrier(onRetry: @escaping @Sendable (Int, PersistenceError) -> Void = { _, _ in }) -> Retrier {
        Retrier(
            policy: RetryPolicy(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(200)),
            logger: logger(),
            onRetry: onRetry
        )
    }

    static func count(_ client: PostgresClient, _ table: String, where condition: String = "true") async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM \(unescaped: table) WHERE \(unescaped: condition)")
        for try await count in rows.decode(Int.self) { return count }
        return -1
    }

    static let tables = [
        "leads", "lead_activities", "processed_messages", "dead_letter_queue", "order_drafts",
        "sales_notifications", "support_tickets", "callback_tasks", "review_flags",
    ]

    /// Every row of every table, as text, to compare whole-database states.
    static func snapshot(_ client: PostgresClient) async throws -> [String: [String]] {
        var state: [String: [String]] = [:]
        for table in tables {
            let rows = try await client.query("SELECT t::text FROM \(unescaped: table) t ORDER BY t::text")
            var lines: [String] = []
            for try await line in rows.decode(String.self) { lines.append(line) }
            state[table] = lines
        }
        return state
    }
}

/// Builds `ai.process.result` events like ai-worker publishes them.
struct ResultSpec {
    var eventID = UUID().uuidString.lowercased()
    var leadID = UUID().uuidString.lowercased()
    var businessID = "biz-1"
    var tenantID: String? = "tenant-1"
    var timestamp = "2025-10-25T10:30:00Z"
    var intent: String? = "ORDER_REQUEST"
    var confidence = 0.95
    var tier = "rules"
    var leadScore: Int? = 86
    var leadQuality: String? = "hot"
    var sentiment: String? = "neutral"
    var phones = ["+919876543210"]
    var emails = ["asha@example.com"]
    var products = ["laptop"]
    var dates: [(value: String, text: String)] = []
    var orderIDs: [String] = []
    var suggestedActions = ["send_catalog"]
    var processingID = UUID().uuidString.lowercased()
    var sourceEventID = UUID().uuidString.lowercased()

    func value() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("event_id"); w.string(eventID)
        w.key("event_type"); w.string("ai.process.result")
        w.key("timestamp"); w.string(timestamp)
        w.key("payload"); w.beginObject()
        w.key("lead_id"); w.string(leadID)
        w.key("business_id"); w.string(businessID)
        w.key("tenant_id"); w.string(tenantID)
        w.key("processing_id"); w.string(processingID)
        w.key("source_event_id"); w.string(sourceEventID)
        w.key("source_event_type"); w.string("lead.message")
        w.key("message_id"); w.string("msg-1")
        w.key("request_id"); w.null()
        w.key("intent")
        if let intent {
            w.beginObject()
            w.key("intent"); w.string(intent)
            w.key("confidence"); w.number(confidence)
            w.key("tier"); w.string(tier)
            w.key("alternatives"); w.beginArray(); w.endArray()
            w.endObject()
        } else {
            w.null()
        }
        w.key("entities"); w.beginObject()
        w.key("products"); w.stringArray(products)
        w.key("quantities"); w.beginArray()
        w.beginObject(); w.key("value"); w.int(2); w.key("unit"); w.null(); w.key("product"); w.string(products.first); w.endObject()
        w.endArray()
        w.key("prices"); w.beginArray(); w.endArray()
        w.key("emails"); w.stringArray(emails)
        w.key("phones"); w.stringArray(phones)
        w.key("dates"); w.beginArray()
        for date in dates {
            w.beginObject(); w.key("value"); w.string(date.value); w.key("grain"); w.string("hour"); w.key("text"); w.string(date.text); w.endObject()
        }
        w.endArray()
        w.key("order_ids"); w.stringArray(orderIDs)
        w.key("urls"); w.beginArray(); w.endArray()
        w.endObject()
        w.key("lead_score"); if let leadScore { w.int(leadScore) } else { w.null() }
        w.key("lead_quality"); w.string(leadQuality)
        w.key("sentiment"); w.string(sentiment)
        w.key("language"); w.string("en")
        w.key("suggested_actions"); w.stringArray(suggestedActions)
        w.key("suggested_response"); w.string("Thank you for your interest")
        w.key("cache"); w.beginObject(); w.key("hit"); w.bool(false); w.endObject()
        w.key("llm"); w.beginObject(); w.key("used"); w.bool(false); w.key("provider"); w.null(); w.endObject()
        w.key("degraded"); w.bool(false)
        w.key("processing_time_ms"); w.int(2)
        w.key("some_future_field"); w.string("ignored")
        w.endObject()
        w.endObject()
        return w.bytes
    }

    func record(offset: Int64, partition: Int32 = 0, topic: String = "ai.process.result") -> InboundRecord {
        InboundRecord(topic: topic, partition: partition, offset: offset, key: Array(leadID.utf8), value: value())
    }
}

/// Builds `ai.error` events.
struct ErrorSpec {
    var eventID = UUID().uuidString.lowercased()
    var leadID: String? = UUID().uuidString.lowercased()
    var businessID: String? = "biz-1"
    var tenantID: String? = "tenant-1"
    var errorCode = "VALIDATION_FAILED"
    /// Each spec stands for another input (the source position is its identity).
    var sourceOffset = Int.random(in: 0..<1_000_000_000)
    var sourceEventID: String?

    func value() -> [UInt8] {
        var w = JSONWriter()
        w.beginObject()
        w.key("event_id"); w.string(eventID)
        w.key("event_type"); w.string("ai.error")
        w.key("timestamp"); w.string("2025-10-25T10:30:00+05:30")
        w.key("payload"); w.beginObject()
        w.key("lead_id"); w.string(leadID)
        w.key("business_id"); w.string(businessID)
        w.key("tenant_id"); w.string(tenantID)
        w.key("source_event_id"); w.string(sourceEventID)
        w.key("source_topic"); w.string("lead.message")
        w.key("source_partition"); w.int(3)
        w.key("source_offset"); w.int(sourceOffset)
        w.key("error_code"); w.string(errorCode)
        w.key("error_message"); w.string("message_text is required")
        w.key("retryable"); w.bool(false)
        w.key("attempts"); w.int(1)
        w.key("raw"); w.string("{\"broken\":")
        w.endObject()
        w.endObject()
        return w.bytes
    }

    func record(offset: Int64) -> InboundRecord {
        InboundRecord(topic: "ai.error", partition: 0, offset: offset, key: leadID.map { Array($0.utf8) }, value: value())
    }
}

/// Runs scripts/pg-tempdb.sh (found next to this file's repository) without blocking a
/// cooperative thread: posix_spawn, then waitpid on a thread of our own that resumes the
/// continuation. Output goes to temp files (a pipe could be held open by the server it starts).
enum TempServer {
    struct ScriptFailed: Error, CustomStringConvertible {
        var description: String
    }

    static var scriptPath: String {
        if let path = ProcessInfo.processInfo.environment["PG_TEMPDB_SCRIPT"] { return path }
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        return file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/pg-tempdb.sh").path
    }

    static func run(_ arguments: [String]) async throws -> String {
        let base = NSTemporaryDirectory() + "pg-tempdb-run-" + UUID().uuidString
        let outPath = base + ".out"
        let errPath = base + ".err"
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let argv = ["/bin/bash", scriptPath] + arguments
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        let spawned = posix_spawn(&pid, "/bin/bash", &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw ScriptFailed(description: "posix_spawn failed: \(spawned)") }
        let childPID = pid
        let status: Int32 = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                var status: Int32 = 0
                while waitpid(childPID, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let errorText = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            throw ScriptFailed(description: "pg-tempdb.sh \(arguments.joined(separator: " ")) failed (status \(status)): \(errorText)")
        }
        return text
    }

    /// Starts a private server; returns its DATABASE_URL and data directory.
    static func start() async throws -> (url: String, directory: String) {
        let text = try await run(["start"])
        var url: String?
        var directory: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("DATABASE_URL=") { url = String(line.dropFirst("DATABASE_URL=".count)) }
            if line.hasPrefix("PGDATA_DIR=") { directory = String(line.dropFirst("PGDATA_DIR=".count)) }
        }
        guard let url, let directory else { throw ScriptFailed(description: "pg-tempdb.sh start printed no DATABASE_URL") }
        return (url, directory)
    }
}

/// Awaits `condition` by polling a probe under a deadline (not a sleep for synchronization).
func eventually(
    timeout: Duration = .seconds(30),
    _ what: String,
    _ condition: @Sendable () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while clock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: .milliseconds(20))
    }
    Issue.record("timed out waiting for \(what)")
    throw TempServer.ScriptFailed(description: "timed out waiting for \(what)")
}
