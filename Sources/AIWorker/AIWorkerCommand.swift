import AIWorkerKit
import AnalysisEvaluation
import ArgumentParser
import Foundation
import IntentTier
import Kafka
import Logging
import Observability
import ServiceLifecycle
import WorkerSupport

/// Flags that override the environment variables of the same meaning.
struct ConfigOptions: ParsableArguments {
    @Option(help: "Bootstrap servers (KAFKA_BROKERS); unset → embedded broker unless KAFKA_EMBEDDED=off.") var brokers: String?
    @Option(help: "Consumer group (KAFKA_GROUP_ID).") var groupID: String?
    @Option(help: "Partition assignment strategy (KAFKA_ASSIGNMENT_STRATEGY).") var assignmentStrategy: String?
    @Option(help: "In-flight event limit (MAX_IN_FLIGHT).") var maxInFlight: String?
    @Option(help: "Events analyzed concurrently (WORKER_CONCURRENCY).") var concurrency: String?
    @Option(help: "Metrics/health port, 0 disables (HTTP_PORT).") var httpPort: String?
    @Option(help: "Log level (LOG_LEVEL).") var logLevel: String?
    @Option(help: "json or text (LOG_FORMAT).") var logFormat: String?
    @Option(help: "Fixture folder (FIXTURES_DIR).") var fixtures: String?

    var overrides: [String: String] {
        var values: [String: String] = [:]
        values["KAFKA_BROKERS"] = brokers
        values["KAFKA_GROUP_ID"] = groupID
        values["KAFKA_ASSIGNMENT_STRATEGY"] = assignmentStrategy
        values["MAX_IN_FLIGHT"] = maxInFlight
        values["WORKER_CONCURRENCY"] = concurrency
        values["HTTP_PORT"] = httpPort
        values["LOG_LEVEL"] = logLevel
        values["LOG_FORMAT"] = logFormat
        values["FIXTURES_DIR"] = fixtures
        return values
    }

    /// Loads the configuration and bootstraps logging; a bad value exits 2 with its reason.
    func load() throws -> (AIWorkerConfig, Logger) {
        let config = try exitingOnConfigError {
            () throws(ConfigError) in try AIWorkerConfig.load(environment: ProcessInfo.processInfo.environment, overrides: overrides)
        }
        return (config, config.log.bootstrap(label: "ai-worker"))
    }

    /// The ml tier as configured; an unreadable model exits 2 naming `ML_MODEL_DIR`.
    func loadMLTier(_ config: AIWorkerConfig, _ logger: Logger) throws -> MLIntentTier? {
        try exitingOnConfigError { () throws(ConfigError) in try AIWorkerAssembly.loadMLTier(config: config, logger: logger) }
    }

    /// The cluster, or the embedded broker; `KAFKA_EMBEDDED=off` without brokers exits 2 naming `KAFKA_BROKERS`.
    func kafkaTarget(_ config: AIWorkerConfig) throws -> AIWorkerConfig.KafkaTarget {
        try exitingOnConfigError { () throws(ConfigError) in try config.kafkaTarget() }
    }
}

/// `body`'s value; a `ConfigError` is printed as one line on standard error and exits 2.
func exitingOnConfigError<T>(_ body: () throws(ConfigError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw report(error)
    }
}

/// Prints `error` as one line on standard error; returns the exit code to throw (2).
func report(_ error: ConfigError) -> ExitCode {
    FileHandle.standardError.write(Data("ai-worker: \(error)\n".utf8))
    return ExitCode(2)
}

@main
struct AIWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ai-worker",
        abstract: "Enriches sales leads from Kafka: intent, entities, score, actions, reply.",
        discussion: "Environment variables (flags win):\n" + AIWorkerConfig.variables.map { "  \($0.name)\n      \($0.help)" }.joined(separator: "\n"),
        version: AIWorkerAssembly.buildInfo.versionLine,
        subcommands: [Run.self, Analyze.self, Evaluate.self, Replay.self, Broker.self],
        defaultSubcommand: Run.self
    )
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the worker (the default).")
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let (config, logger) = try options.load()
        let target = try options.kafkaTarget(config)
        let exporter = PrometheusBootstrap.bootstrap()
        AIWorkerAssembly.buildInfo.recordMetric(in: exporter, name: "aiworker_build_info")
        logger.info("Starting ai-worker", metadata: AIWorkerAssembly.buildInfo.metadata.merging(["config": "\(config)"]) { $1 })
        let app = AIWorkerAssembly(config: config, logger: logger, ml: try options.loadMLTier(config, logger))
        let health = app.makePipelineHealth()
        let daemon = AIWorkerDaemon(app: app, target: target, health: health)
        // The operations server binds first and the daemon (embedded broker, fixtures, pipeline)
        // starts only once it listens; services stop in reverse order, so /readyz keeps
        // answering (not ready) while the pipeline drains.
        let services: [ServiceGroupConfiguration.ServiceConfiguration]
        if let server = app.makeOperationsServer(exporter: exporter, health: health) {
            services = [.init(service: server), .init(service: server.gating(daemon))]
        } else {
            services = [.init(service: daemon)]
        }
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        do {
            try await group.run()
        } catch let error as OperationsServer.BindError {
            throw report(ConfigError(operationsPort: error))
        }
    }
}

struct Analyze: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Analyze JSON Lines from standard input; one analysis per line on standard output.")
    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let (config, logger) = try options.load()
        let runner = AnalyzeRunner(app: AIWorkerAssembly(config: config, logger: logger, ml: try options.loadMLTier(config, logger)))
        let output = FileHandle.standardOutput
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 16)
        while let line = readLine(strippingNewline: true) {
            buffer.append(contentsOf: await runner.analyze(line: Array(line.utf8)))
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 1 << 15 {
                output.write(Data(buffer))
                buffer.removeAll(keepingCapacity: true)
            }
        }
        output.write(Data(buffer))
    }
}

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Replay the fixture topics and compare the outputs with Fixtures/expected.")
    @OptionGroup var options: ConfigOptions
    @Flag(help: "Rewrite the golden files with this run's outputs.") var update = false

    func run() async throws {
        let (config, logger) = try options.load()
        let target = try options.kafkaTarget(config)
        let replay = AIWorkerKit.Replay(app: AIWorkerAssembly(config: config, logger: logger))
        let outcome = try await replay.run(target: target)
        if update {
            try replay.update(with: outcome)
            print("replay: golden files rewritten (\(outcome.actual.values.map(\.count).reduce(0, +)) records)")
            return
        }
        guard outcome.mismatches.isEmpty else {
            print("replay: \(outcome.mismatches.count) mismatch(es) with Fixtures/expected:")
            for mismatch in outcome.mismatches { print(mismatch) }
            throw ExitCode(1)
        }
        print("replay: \(outcome.actual.values.map(\.count).reduce(0, +)) records, all outputs match the golden files")
    }
}

struct Broker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run only the embedded broker (mock cluster) with the topics created, until SIGTERM.")
    @OptionGroup var options: ConfigOptions
    @Flag(help: "Also load the fixture topics.") var loadFixtures = false

    func run() async throws {
        let (config, logger) = try options.load()
        let app = AIWorkerAssembly(config: config, logger: logger)
        let broker = try app.startEmbeddedBroker()
        if loadFixtures {
            _ = try await app.produce(try Fixtures.loadTopics(directory: config.fixturesDirectory), bootstrap: broker.bootstrapServers)
        }
        print("KAFKA_BROKERS=\(broker.bootstrapServers)")
        print("KAFKA_CONSUMER_CONFIG=\(EmbeddedBroker.consumerTuningList)")
        fflush(nil)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: IdleService())], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        )
        try await group.run()
        withExtendedLifetime(broker) {}
    }
}

/// Does nothing until graceful shutdown (keeps the embedded broker alive).
struct IdleService: Service {
    func run() async throws {
        try? await gracefulShutdown()
    }
}

struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score the analysis on labelled messages.",
        discussion: """
            Without --split: the rules engine on --file (intent accuracy, macro-F1, entity P/R/F1, calibration).
            With --split dev (Fixtures/analysis/dev/*.jsonl) or --split eval (Fixtures/analysis/eval.jsonl): intents by the
            rules alone and, when the ml tier loads (ML_TIER, ML_MODEL_DIR), by rules + ml: accuracy, English and Hinglish
            slices, per-label support/precision/recall/F1, calibration, and the LLM share needed for 90 % on the rest.
            """
    )
    enum Split: String, ExpressibleByArgument, CaseIterable { case dev, eval }

    @OptionGroup var options: ConfigOptions
    @Option(help: "Labelled JSON Lines file.") var file = EvaluationSet.defaultPath
    @Option(help: "Intent tables on a labelled split: dev or eval.") var split: Split?

    func run() async throws {
        guard let split else {
            print(try EvaluationReport.run(fileURL: URL(fileURLWithPath: file)))
            return
        }
        let (config, logger) = try options.load()
        let ml = try options.loadMLTier(config, logger)
        let files = split == .dev ? try EvaluationSet.files(in: EvaluationSet.devSplitDirectory) : [URL(fileURLWithPath: EvaluationSet.defaultPath)]
        let scores = await IntentEvaluation.score(try EvaluationSet.load(files), ml: ml)
        let name = files.map(\.lastPathComponent).joined(separator: ", ")
        print(scores.rules.render(title: "rules (\(name))"))
        if let combined = scores.combined {
            print(combined.render(title: "rules + ml (\(name))"))
        } else {
            print("rules + ml: the ml tier is off (ML_TIER=off, or no model: scripts/install-model.sh)")
        }
        await ml?.shutdown()
    }
}
