import Metrics
import Prometheus

/// Prometheus as the swift-metrics backend. Executables only: `MetricsSystem.bootstrap` may be
/// called once per process.
public enum PrometheusBootstrap {
    /// Histogram buckets for latencies: 0.5 ms … 30 s (rules answer in microseconds to
    /// milliseconds; the LLM tier in seconds).
    public static let latencyBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
    ]

    /// A factory over `registry` with this service's bucket choices.
    public static func makeFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = latencyBuckets
        return factory
    }

    /// Bootstraps swift-metrics with a fresh registry and returns its exporter (for `/metrics`).
    public static func bootstrap() -> MetricsExporter {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(makeFactory(registry: registry))
        return MetricsExporter(registry: registry)
    }
}

/// Renders a registry in the Prometheus text format (version 0.0.4).
public struct MetricsExporter: Sendable {
    public let registry: PrometheusCollectorRegistry
    public init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    public func render() -> String { registry.emitToString() }

    /// An info-style gauge fixed at 1: `<name>{labels…} 1` (e.g. `aiworker_build_info`).
    public func recordInfo(name: String, labels: [(String, String)]) {
        let descriptor = MetricNameDescriptor(metricName: name, unitName: "", helpText: "Versions of this program and its native libraries (value 1).")
        registry.makeGauge(descriptor: descriptor, labels: labels).set(Double(1))
    }
}
