import Kafka
import Logging
import Metrics
import Persistence
import PostgresNIO
import ServiceLifecycle
import WorkerSupport

/// backend-worker assembled from its configuration: Kafka → `BatchPipeline` → `ResultApplier` → PostgreSQL.
public struct BackendAssembly: Sendable {
    public let config: BackendConfig
    public let logger: Logger

    public init(config: BackendConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func makeClient() -> PostgresClient { config.database.makeClient(logger: logger) }

    /// The consumer of `ai.process.result` and `ai.error`; applies each batch in one transaction.
    public func makePipeline(bootstrap: String, client: PostgresClient) -> BatchPipeline {
        let applier = ResultApplier(
            client: client, topics: config.topics,
            retrier: Retrier(logger: logger, onRetry: { _, error in Self.recordRetry(error) }), database: config.database, logger: logger
        )
        var settings = BatchPipeline.Settings()
        settings.maxBatch = config.batchSize
        settings.shutdownDeadline = config.shutdownTimeout
        return BatchPipeline(
            properties: config.kafka.consumerProperties(bootstrap: bootstrap), topics: [config.topics.results, config.topics.errors],
            settings: settings, logger: logger
        ) { records in
            let inbound = records.map { InboundRecord(topic: $0.topic, partition: $0.partition, offset: $0.offset, key: $0.key, value: $0.value) }
            let started = ContinuousClock.now
            let outcomes = try await applier.applyReliably(inbound)
            Self.record(outcomes, duration: ContinuousClock.now - started)
        }
    }

    /// backend-worker's version with librdkafka's (`--version`, start-up line, `backend_build_info`).
    public static var buildInfo: BuildInfo { BuildInfo(daemon: "backend-worker") }

    /// Applies the migrations (idempotent; an advisory lock keeps replicas from racing), waiting
    /// for a database that is not up yet.
    public func migrate(client: PostgresClient) async throws -> [Int] {
        try await Migrator(client: client, database: config.database, logger: logger).migrate(retrying: Retrier(logger: logger))
    }
}

/// Runs the migrations, then the pipeline; both need the PostgreSQL client running beside them.
public struct BackendService: Service {
    public let app: BackendAssembly
    public let client: PostgresClient
    public let pipeline: BatchPipeline

    public init(app: BackendAssembly, client: PostgresClient, pipeline: BatchPipeline) {
        self.app = app
        self.client = client
        self.pipeline = pipeline
    }

    public func run() async throws {
        // SIGTERM while the database is still unreachable ends the wait (the retrier stops):
        // stop without starting the pipeline.
        let applied: [Int]
        do {
            applied = try await app.migrate(client: client)
        } catch let error as PersistenceError where error.code == .shutdown {
            app.logger.info("Stopped before the database was ready", metadata: [BackendLogKeys.error: "\(error)"])
            return
        }
        app.logger.info("Database ready", metadata: [BackendLogKeys.migrationsApplied: "\(applied)"])
        try await pipeline.run()
    }
}
