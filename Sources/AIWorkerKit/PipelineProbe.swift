import Cache
import LLM
import Observability
import Pipeline
import WorkerSupport

/// The pipeline's health as readiness and liveness probes.
public struct PipelineProbe: ReadinessProbe {
    public enum Kind: Sendable { case readiness, liveness }
    public let name: String
    private let health: PipelineHealth
    private let kind: Kind

    /// One probe per pipeline verdict (`kafka_consumer`, `kafka_producer` / `kafka_poll_loop`).
    public static func probes(for health: PipelineHealth, kind: Kind) -> [PipelineProbe] {
        let names = kind == .readiness ? health.readiness().map(\.name) : health.liveness().map(\.name)
        return names.map { PipelineProbe(name: $0, health: health, kind: kind) }
    }

    public func check() async -> ProbeResult {
        let verdicts = kind == .readiness ? health.readiness() : health.liveness()
        guard let verdict = verdicts.first(where: { $0.name == name }) else { return .notReady("unknown check") }
        return ProbeResult(ready: verdict.ok, reason: verdict.reason, details: verdict.details.mapValues { .int($0) })
    }
}

extension AIWorkerAssembly {
    /// ai-worker's version with librdkafka's, hiredis's and libcurl's (`--version`, start-up
    /// line, `aiworker_build_info`).
    public static var buildInfo: BuildInfo {
        BuildInfo(daemon: "ai-worker").adding("hiredis", version: hiredisVersion).adding("libcurl", version: libcurlVersion)
    }

    /// The `/metrics`, `/healthz`, `/readyz` server for `pipeline` on `HTTP_PORT` (nil when 0).
    public func makeOperationsServer(exporter: MetricsExporter, health: PipelineHealth) -> OperationsServer? {
        guard config.httpPort != 0 else { return nil }
        return OperationsServer(
            configuration: .init(port: config.httpPort), exporter: exporter,
            readiness: PipelineProbe.probes(for: health, kind: .readiness),
            liveness: PipelineProbe.probes(for: health, kind: .liveness), logger: logger
        )
    }
}
