import CCurl
import CHiredis
import Kafka
import Logging
import Observability
import Pipeline

/// Versions stated in the start-up line and in `aiworker_build_info`.
public enum BuildInfo {
    /// This program's version.
    public static let version = "0.1.0"
    public static var librdkafka: String { librdkafkaVersion }
    public static var hiredis: String { "\(HIREDIS_MAJOR).\(HIREDIS_MINOR).\(HIREDIS_PATCH)" }
    public static var libcurl: String {
        guard let text = curl_version() else { return "unknown" }
        // "libcurl/7.88.1 OpenSSL/3.0.17 zlib/…": the first word's version.
        let first = String(cString: text).split(separator: " ").first.map(String.init) ?? ""
        return first.split(separator: "/").dropFirst().first.map(String.init) ?? first
    }

    /// `["version": …, "librdkafka": …, "hiredis": …, "libcurl": …]` for log metadata.
    public static var metadata: Logger.Metadata {
        ["version": "\(version)", "librdkafka": "\(librdkafka)", "hiredis": "\(hiredis)", "libcurl": "\(libcurl)"]
    }

    /// Sets `aiworker_build_info{version,librdkafka,hiredis,libcurl} 1`.
    public static func recordMetric(in exporter: MetricsExporter, name: String = "aiworker_build_info") {
        exporter.recordInfo(name: name, labels: [("version", version), ("librdkafka", librdkafka), ("hiredis", hiredis), ("libcurl", libcurl)])
    }
}

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

extension WorkerApp {
    /// The `/metrics`, `/healthz`, `/readyz` server for `pipeline` on `HTTP_PORT` (nil when 0).
    /// `extraReadiness` adds dependencies (a database for backend-worker).
    public func makeOperationsServer(
        exporter: MetricsExporter, health: PipelineHealth, extraReadiness: [any ReadinessProbe] = []
    ) -> OperationsServer? {
        guard config.httpPort != 0 else { return nil }
        return OperationsServer(
            configuration: .init(port: config.httpPort), exporter: exporter,
            readiness: PipelineProbe.probes(for: health, kind: .readiness) + extraReadiness,
            liveness: PipelineProbe.probes(for: health, kind: .liveness), logger: logger
        )
    }
}
