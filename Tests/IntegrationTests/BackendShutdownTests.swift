import Foundation
import Kafka
import Testing
import WorkerSupport

/// A private PostgreSQL (scripts/pg-tempdb.sh) this suite may stop.
struct PrivatePostgres {
    var url: String
    var directory: String

    static func start() async throws -> PrivatePostgres {
        let text = try await script(["start"])
        func value(_ name: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix("\(name)=") }.map { String($0.dropFirst(name.count + 1)) }
        }
        guard let url = value("DATABASE_URL"), let directory = value("PGDATA_DIR") else { throw TestFailure("pg-tempdb.sh start: \(text)") }
        return PrivatePostgres(url: url, directory: directory)
    }

    /// Stops the server, keeping its data ("database down").
    func halt() async throws { _ = try await Self.script(["halt", directory]) }
    func remove() async { _ = try? await Self.script(["stop", directory]) }

    /// Runs the script with posix_spawn and waits for it on a thread of its own (Foundation's
    /// Process did not return here once the script had started a server in the background).
    private static func script(_ arguments: [String]) async throws -> String {
        let output = NSTemporaryDirectory() + "pg-tempdb-\(UUID().uuidString).out"
        defer { try? FileManager.default.removeItem(atPath: output) }
        let argv = ["/bin/bash", packageRoot.appendingPathComponent("scripts/pg-tempdb.sh").path] + arguments
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, "/bin/bash", &actions, nil, &cArguments, environ) == 0 else { throw TestFailure("posix_spawn failed") }
        let child = pid
        let status: Int32 = await runBlocking {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            return status
        }
        guard status == 0 else { throw TestFailure("pg-tempdb.sh \(arguments) exited with status \(status)") }
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }
}

/// Issue 10 §6: backend-worker ignored SIGTERM while PostgreSQL was down (the retrier stopped
/// only on cancellation), at start-up migrations too.
@Suite(.serialized, .timeLimit(.minutes(3))) struct BackendShutdownTests {
    static let shutdownTimeout = 2_000

    func backend(_ broker: EmbeddedKafka, database: PrivatePostgres) throws -> WorkerProcess {
        try WorkerProcess(
            brokers: broker.bootstrapServers,
            extraEnvironment: ["DATABASE_URL": database.url, "KAFKA_GROUP_ID": "g-\(UUID().uuidString)", "SHUTDOWN_TIMEOUT_MS": "\(Self.shutdownTimeout)"],
            executable: "backend-worker"
        )
    }

    /// SIGTERM, then the exit status under `SHUTDOWN_TIMEOUT_MS` + 2 s (nil: still running).
    func terminate(_ worker: WorkerProcess) async -> (status: Int32?, elapsed: Duration) {
        let started = ContinuousClock.now
        worker.signal(SIGTERM)
        let status = await worker.waitForExit(timeout: .milliseconds(Self.shutdownTimeout + 2_000))
        return (status, ContinuousClock.now - started)
    }

    @Test func sigtermDuringStartUpMigrationsWithTheDatabaseDown() async throws {
        let database = try await PrivatePostgres.start()
        try await database.halt()
        let broker = try topicsWithCluster()
        let worker = try backend(broker, database: database)
        // The migrations' connection check fails and the retrier waits to try again.
        _ = try await poll("the migrations retrying", watching: worker) { worker.log.contains("Database operation failed") ? true : nil }
        let (status, elapsed) = await terminate(worker)
        await database.remove()
        #expect(status == 0, "exit \(String(describing: status)) after \(elapsed): \(worker.log.suffix(1500))")
        #expect(worker.log.contains("Stopped before the database was ready"))
    }

    @Test func sigtermWhileApplyingWithTheDatabaseDown() async throws {
        let database = try await PrivatePostgres.start()
        let broker = try topicsWithCluster()
        let worker = try backend(broker, database: database)
        _ = try await poll("the consumer joined", watching: worker) { worker.log.contains("Partitions assigned") ? true : nil }
        try await database.halt()
        let unroutable = #"{"event_id":"e-1","event_type":"ai.error","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":null,"source_topic":"lead.message","source_partition":0,"source_offset":1,"error_code":"INVALID_JSON","error_message":"x","retryable":false,"attempts":1}}"#
        try await produce([FixtureRecord(id: "e-1", topic: "ai.error", key: nil, value: Array(unroutable.utf8))], to: broker)
        _ = try await poll("the batch waiting for the database", watching: worker) { worker.log.contains("Connection creation failed") ? true : nil }
        let (status, elapsed) = await terminate(worker)
        await database.remove()
        #expect(status == 0, "exit \(String(describing: status)) after \(elapsed): \(worker.log.suffix(1500))")
        #expect(worker.log.contains("Batch pipeline stopped"))
    }
}
