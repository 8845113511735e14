import Logging
import Pipeline
import ServiceLifecycle
import WorkerSupport

/// The daemon behind its operations endpoint: on the embedded broker it starts the broker and
/// loads the fixtures first, then it runs the stream pipeline until graceful shutdown.
public struct AIWorkerDaemon: Service {
    public let app: AIWorkerAssembly
    public let target: AIWorkerConfig.KafkaTarget
    /// Shared with the operations endpoint, which answers before the pipeline exists.
    public let health: PipelineHealth

    public init(app: AIWorkerAssembly, target: AIWorkerConfig.KafkaTarget, health: PipelineHealth) {
        self.app = app
        self.target = target
        self.health = health
    }

    public func run() async throws {
        switch target {
        case .cluster(let bootstrap):
            try await app.makePipeline(bootstrap: bootstrap, embedded: false, health: health).run()
        case .embedded:
            let broker = try app.startEmbeddedBroker()
            let records = try Fixtures.loadTopics(directory: app.config.fixturesDirectory)
            _ = try await app.produce(records, bootstrap: broker.bootstrapServers)
            let console = EmbeddedModeConsole(logger: app.logger, format: app.config.log.effectiveFormat)
            console.showBanner(bootstrap: broker.bootstrapServers, fixtures: records.count, directory: app.config.fixturesDirectory)
            let pipeline = app.makePipeline(bootstrap: broker.bootstrapServers, embedded: true, health: health) { console.show($0) }
            try await pipeline.run()
            withExtendedLifetime(broker) {}
        }
    }
}
