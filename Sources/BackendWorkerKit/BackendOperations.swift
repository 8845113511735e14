import Logging
import Metrics
import Observability
import Persistence
import PostgresNIO

/// backend-worker's metrics (`backend_<what>_<unit>`; labels bounded by the outcome vocabulary).
enum BackendMetricNames {
    /// Counter {status=applied|stale|error_recorded|duplicate|dead_lettered}: records handled.
    static let records = "backend_records_total"
    /// Counter {error_code}: transactions retried after a transient database error.
    static let retries = "backend_transaction_retries_total"
    /// Timer: one batch's transaction, in seconds.
    static let batchDuration = "backend_batch_duration_seconds"
}

extension BackendAssembly {
    /// `/metrics`, `/healthz`, `/readyz` on `HTTP_PORT` (nil when 0): ready when the consumer
    /// has joined its group and the database answers `SELECT 1`.
    public func makeOperationsServer(exporter: MetricsExporter, pipeline: BatchPipeline, client: PostgresClient) -> OperationsServer? {
        guard config.httpPort != 0 else { return nil }
        let consumer = ClosureProbe(name: "kafka_consumer") {
            let (joined, assigned) = pipeline.membership
            return ProbeResult(
                ready: joined, reason: joined ? nil : "waiting for the group join",
                details: ["assigned_partitions": .int(assigned), "applied": .int(pipeline.appliedCount)]
            )
        }
        let logger = self.logger
        let settings = config.database
        let database = ClosureProbe(name: "database") {
            do {
                _ = try await client.query("SELECT 1", logger: logger)
                return ProbeResult(ready: true)
            } catch {
                return ProbeResult(ready: false, reason: "\(await settings.explain(error, logger: logger))")
            }
        }
        return OperationsServer(
            configuration: .init(port: config.httpPort), exporter: exporter, readiness: [consumer, database],
            liveness: [], logger: logger
        )
    }

    static func record(_ outcomes: [ApplyOutcome], duration: Duration) {
        var counts: [ApplyOutcome.Status: Int] = [:]
        for outcome in outcomes { counts[outcome.status, default: 0] += 1 }
        for (status, count) in counts {
            Counter(label: BackendMetricNames.records, dimensions: [("status", status.rawValue)]).increment(by: count)
        }
        Metrics.Timer(label: BackendMetricNames.batchDuration, preferredDisplayUnit: .seconds).record(duration: duration)
    }

    static func recordRetry(_ error: PersistenceError) {
        Counter(label: BackendMetricNames.retries, dimensions: [("error_code", error.code.rawValue)]).increment()
    }
}
