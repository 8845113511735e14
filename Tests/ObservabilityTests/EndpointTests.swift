import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import Synchronization
import Testing

@testable import Observability

@Suite struct HealthReportTests {
    @Test func readyReportListsChecksAndDetails() async {
        let report = await HealthReport.evaluate(
            [ClosureProbe(name: "kafka_consumer") { .ready(["assigned_partitions": 3]) }, ClosureProbe(name: "database") { .ready() }],
            timeout: .seconds(1)
        )
        #expect(report.ok)
        #expect(report.json() == #"{"status":"ready","checks":{"kafka_consumer":{"ready":true,"assigned_partitions":3},"database":{"ready":true}}}"#)
    }

    @Test func notReadyReportNamesTheFailingCheck() async {
        let report = await HealthReport.evaluate(
            [ClosureProbe(name: "kafka_consumer") { .notReady("brokers unreachable for 4s (_ALL_BROKERS_DOWN)") }, ClosureProbe(name: "database") { .ready() }],
            timeout: .seconds(1)
        )
        #expect(!report.ok)
        #expect(report.reason == "kafka_consumer: brokers unreachable for 4s (_ALL_BROKERS_DOWN)")
        let object = try? JSONSerialization.jsonObject(with: Data(report.json().utf8)) as? [String: Any]
        #expect(object?["status"] as? String == "not_ready")
        #expect(((object?["checks"] as? [String: Any])?["kafka_consumer"] as? [String: Any])?["ready"] as? Bool == false)
    }

    @Test func aProbeThatDoesNotAnswerTimesOut() async {
        let started = ContinuousClock.now
        let report = await HealthReport.evaluate(
            [ClosureProbe(name: "database") {
                try? await Task.sleep(for: .seconds(120))
                return .ready()
            }],
            timeout: .milliseconds(200)
        )
        #expect(!report.ok)
        #expect(report.checks.first?.result.reason?.hasPrefix("no answer within") == true)
        // Far below the probe's 120 s, with room for a loaded machine (13 s seen under load).
        #expect(ContinuousClock.now - started < .seconds(60))
    }
}

@Suite(.timeLimit(.minutes(1))) struct OperationsServerTests {
    /// Serves /metrics, /healthz, /readyz over real HTTP; readiness follows the probe.
    @Test func endpointsAnswerOverHTTP() async throws {
        let registry = PrometheusCollectorRegistry()
        let factory = PrometheusBootstrap.makeFactory(registry: registry)
        Counter(label: "aiworker_test_events_total", dimensions: [("topic", "lead.message")], factory: factory).increment(by: 3)
        Metrics.Timer(label: "aiworker_test_duration_seconds", dimensions: [("tier", "rules")], factory: factory).record(duration: .milliseconds(3))
        let ready = Atomic<Bool>(false)
        let listening = AsyncStream<Int>.makeStream()
        let server = OperationsServer(
            configuration: .init(host: "127.0.0.1", port: 0), exporter: MetricsExporter(registry: registry),
            readiness: [ClosureProbe(name: "kafka_consumer") { ready.load(ordering: .relaxed) ? .ready() : .notReady("joining consumer group") }],
            liveness: [], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() },
            onListening: { listening.continuation.yield($0) }
        )
        let group = ServiceGroup(services: [server], logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = listening.stream.makeAsyncIterator()
            let port = try #require(await iterator.next())

            let metrics = try await httpGet(port: port, path: "/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.headers["content-type"] == OperationsEndpoints.prometheusContentType)
            #expect(metrics.body.contains(#"aiworker_test_events_total{topic="lead.message"} 3"#))
            #expect(metrics.body.contains(#"aiworker_test_duration_seconds_bucket{tier="rules",le="0.005"} 1"#))

            let health = try await httpGet(port: port, path: "/healthz")
            #expect(health.status == 200)
            #expect(health.body.hasPrefix(#"{"status":"ok","#))

            let notReady = try await httpGet(port: port, path: "/readyz")
            #expect(notReady.status == 503)
            #expect(notReady.body.contains(#""reason":"kafka_consumer: joining consumer group""#))
            ready.store(true, ordering: .relaxed)
            let nowReady = try await httpGet(port: port, path: "/readyz")
            #expect(nowReady.status == 200)
            #expect(nowReady.body == #"{"status":"ready","checks":{"kafka_consumer":{"ready":true}}}"#)

            let missing = try await httpGet(port: port, path: "/nope")
            #expect(missing.status == 404)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
