import ArgumentParser
import BackendWorkerKit
import Foundation
import Logging
import Observability
import Persistence
import PostgresNIO
import ServiceLifecycle
import WorkerSupport

@main
struct BackendWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backend-worker",
        abstract: "Applies ai.process.result and ai.error events to PostgreSQL, idempotently.",
        discussion: "Environment variables:\n" + BackendConfig.variables.map { "  \($0.name)\n      \($0.help)" }.joined(separator: "\n"),
        version: BackendAssembly.buildInfo.versionLine,
        subcommands: [Run.self, Migrate.self, DeadLetters.self],
        defaultSubcommand: Run.self
    )
}

struct Options: ParsableArguments {
    @Option(help: "PostgreSQL URL (DATABASE_URL).") var databaseURL: String?
    @Option(help: "Bootstrap servers (KAFKA_BROKERS); required by the daemon.") var brokers: String?
    @Option(help: "Log level (LOG_LEVEL).") var logLevel: String?

    func load() throws -> (BackendConfig, Logger) {
        var overrides: [String: String] = [:]
        overrides["DATABASE_URL"] = databaseURL
        overrides["KAFKA_BROKERS"] = brokers
        overrides["LOG_LEVEL"] = logLevel
        let config: BackendConfig
        do {
            config = try BackendConfig.load(environment: ProcessInfo.processInfo.environment, overrides: overrides)
        } catch {
            FileHandle.standardError.write(Data("backend-worker: \(error)\n".utf8))
            throw ExitCode(2)
        }
        return (config, config.log.bootstrap(label: "backend-worker"))
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the worker (the default).")
    @OptionGroup var options: Options

    func run() async throws {
        let (config, logger) = try options.load()
        let bootstrap: String
        do {
            bootstrap = try config.requiredBrokers()
        } catch {
            FileHandle.standardError.write(Data("backend-worker: \(error)\n".utf8))
            throw ExitCode(2)
        }
        let exporter = PrometheusBootstrap.bootstrap()
        BackendAssembly.buildInfo.recordMetric(in: exporter, name: "backend_build_info")
        logger.info("Starting backend-worker", metadata: [BackendLogKeys.config: "\(config)"].merging(BackendAssembly.buildInfo.metadata) { $1 })
        let app = BackendAssembly(config: config, logger: logger)
        let client = app.makeClient()
        let pipeline = app.makePipeline(bootstrap: bootstrap, client: client)
        let backend = BackendService(app: app, client: client, pipeline: pipeline)
        // The operations server binds first: migrations and the pipeline start only once it listens.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: client)]
        if let server = app.makeOperationsServer(exporter: exporter, pipeline: pipeline, client: client) {
            services.insert(.init(service: server), at: 0)
            services.append(.init(service: server.gating(backend), successTerminationBehavior: .gracefullyShutdownGroup))
        } else {
            services.append(.init(service: backend, successTerminationBehavior: .gracefullyShutdownGroup))
        }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // The batch consumer abandons its batch at SHUTDOWN_TIMEOUT_MS; whatever still runs a
        // second later is cancelled, and a second after that the process ends regardless.
        configuration.maximumGracefulShutdownDuration = config.shutdownTimeout + .seconds(1)
        configuration.maximumCancellationDuration = .seconds(1)
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as OperationsServer.BindError {
            FileHandle.standardError.write(Data("backend-worker: \(ConfigError(operationsPort: error))\n".utf8))
            throw ExitCode(2)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the database migrations and exit.")
    @OptionGroup var options: Options

    func run() async throws {
        let (config, logger) = try options.load()
        let app = BackendAssembly(config: config, logger: logger)
        let client = app.makeClient()
        try await withClient(client) {
            let applied = try await app.migrate(client: client)
            print(applied.isEmpty ? "migrate: schema up to date" : "migrate: applied \(applied.map(String.init).joined(separator: ", "))")
        }
    }
}

struct DeadLetters: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "dlq", abstract: "Inspect and replay the dead-letter queue.", subcommands: [List.self, Replay.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recent dead letters.")
        @OptionGroup var options: Options
        @Option(help: "How many.") var limit = 50

        func run() async throws {
            let (config, logger) = try options.load()
            let client = BackendAssembly(config: config, logger: logger).makeClient()
            try await withClient(client) {
                let entries = try await DeadLetterQueue(client: client, logger: logger).list(limit: limit)
                print("id\tstatus\tattempts\ttopic[partition]@offset\tlead\terror")
                for entry in entries {
                    print("\(entry.id)\t\(entry.status)\t\(entry.attempts)\t\(entry.topic)[\(entry.partition)]@\(entry.offset)\t\(entry.leadID ?? "-")\t\(entry.errorCode): \(entry.error)")
                }
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Apply a dead letter again (after fixing its cause).")
        @OptionGroup var options: Options
        @Argument(help: "Dead-letter id.") var id: Int64

        func run() async throws {
            let (config, logger) = try options.load()
            let client = BackendAssembly(config: config, logger: logger).makeClient()
            try await withClient(client) {
                let outcome = try await ResultApplier(client: client, database: config.database, logger: logger).replayDeadLetter(id: id)
                print("replay \(id): \(outcome.status.rawValue)")
            }
        }
    }
}

/// Runs `body` while the client's connection pool is running.
func withClient(_ client: PostgresClient, _ body: @escaping @Sendable () async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        try await body()
    }
}
