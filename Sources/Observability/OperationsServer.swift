import Events
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The operations HTTP endpoint as a `Service`: `/metrics` (Prometheus text), `/healthz`
/// (liveness) and `/readyz` (readiness), both JSON with the reason when failing (HTTP 503).
///
/// Put it first in the `ServiceGroup` and the pipeline behind `gating(_:)`: the pipeline starts
/// only once the port is bound, and services stop in reverse order, so the endpoint keeps
/// answering (readiness false) while the pipeline drains.
public struct OperationsServer: Service, CustomStringConvertible {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// A probe that has not answered by then counts as failing.
        public var probeTimeout: Duration
        public init(host: String = "0.0.0.0", port: Int, probeTimeout: Duration = .seconds(2)) {
            self.host = host
            self.port = port
            self.probeTimeout = probeTimeout
        }
    }

    private let configuration: Configuration
    private let exporter: MetricsExporter
    private let readiness: [any ReadinessProbe]
    private let liveness: [any ReadinessProbe]
    private let logger: Logger
    private let onListening: @Sendable (Int) async -> Void
    let bind = BindSignal()

    /// `onListening` receives the bound port (useful with port 0).
    public init(
        configuration: Configuration, exporter: MetricsExporter, readiness: [any ReadinessProbe], liveness: [any ReadinessProbe] = [],
        logger: Logger, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.exporter = exporter
        self.readiness = readiness
        self.liveness = liveness
        self.logger = logger
        self.onListening = onListening
    }

    public var description: String { "OperationsServer(\(configuration.host):\(configuration.port))" }

    public func run() async throws {
        let endpoints = OperationsEndpoints(exporter: exporter, readiness: readiness, liveness: liveness, probeTimeout: configuration.probeTimeout)
        let router = Router()
        router.get("/metrics") { request, context -> Response in
            Self.response(endpoints.metrics(), status: .ok, contentType: OperationsEndpoints.prometheusContentType, request: request, context: context)
        }
        router.get("/healthz") { request, context -> Response in
            let report = await endpoints.health()
            return Self.response(
                report.json(okStatus: "ok", failStatus: "failing"), status: report.ok ? .ok : .serviceUnavailable, contentType: "application/json",
                request: request, context: context
            )
        }
        router.get("/readyz") { request, context -> Response in
            let report = await endpoints.readiness()
            return Self.response(
                report.json(), status: report.ok ? .ok : .serviceUnavailable, contentType: "application/json", request: request, context: context
            )
        }
        let logger = self.logger
        let onListening = self.onListening
        let bind = self.bind
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "ai-worker-ops"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.info("Operations endpoint listening", metadata: ["http.port": "\(port)", "paths": "/metrics /healthz /readyz"])
                bind.listening()
                await onListening(port)
            },
            logger: logger
        )
        do {
            try await app.run()
        } catch let failure as IOError {
            let bindError = BindError(host: configuration.host, port: configuration.port, reason: String(cString: strerror(failure.errnoCode)))
            guard bind.failed(bindError) else { throw failure }
            throw bindError
        }
    }

    private static func response(_ body: String, status: HTTPResponse.Status, contentType: String, request: Request, context: some RequestContext) -> Response {
        var response = body.response(from: request, context: context)
        response.status = status
        response.headers[.contentType] = contentType
        response.headers[.cacheControl] = "no-store"
        return response
    }
}

/// What the endpoints answer, without HTTP (unit-testable).
public struct OperationsEndpoints: Sendable {
    public static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    let exporter: MetricsExporter
    let readinessProbes: [any ReadinessProbe]
    let livenessProbes: [any ReadinessProbe]
    let probeTimeout: Duration
    let started = ContinuousClock.now

    public init(exporter: MetricsExporter, readiness: [any ReadinessProbe], liveness: [any ReadinessProbe], probeTimeout: Duration) {
        self.exporter = exporter
        self.readinessProbes = readiness
        self.livenessProbes = liveness
        self.probeTimeout = probeTimeout
    }

    public func metrics() -> String { exporter.render() }

    /// Answering at all proves the event loop and the task pool are responsive; the liveness
    /// probes add what the process needs to make progress (e.g. the Kafka poll loop).
    public func health() async -> HealthReport {
        let elapsed = ContinuousClock.now - started
        let uptime = elapsed.inSeconds
        var report = await HealthReport.evaluate(livenessProbes, timeout: probeTimeout, extra: ["uptime_seconds": .double((uptime * 10).rounded() / 10)])
        report.checks.insert(("event_loop", .ready()), at: 0)
        return report
    }

    public func readiness() async -> HealthReport {
        await HealthReport.evaluate(readinessProbes, timeout: probeTimeout)
    }
}
