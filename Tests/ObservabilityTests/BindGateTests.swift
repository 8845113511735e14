import Logging
import Prometheus
import ServiceLifecycle
import Testing

@testable import Observability

/// `OperationsServer.gating(_:)`: what the daemons start behind their operations port.
@Suite(.timeLimit(.minutes(1))) struct BindGateTests {
    let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    func server(port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> OperationsServer {
        OperationsServer(
            configuration: .init(host: "127.0.0.1", port: port), exporter: MetricsExporter(registry: PrometheusCollectorRegistry()),
            readiness: [], logger: quiet, onListening: onListening
        )
    }

    @Test func theGatedServiceStartsOnceThePortIsBound() async throws {
        // Port 0: a port picked beforehand can be taken by a parallel test before the bind.
        let bound = AsyncStream<Int>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        let operations = server(port: 0) { bound.continuation.yield($0) }
        let group = ServiceGroup(services: [operations, operations.gating(SignallingService { started.continuation.yield() })], logger: quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await group.run()
                } catch {
                    // A failed run ends the waits below instead of leaving them hanging.
                    started.continuation.finish()
                    bound.continuation.finish()
                    throw error
                }
            }
            var startedIterator = started.stream.makeAsyncIterator()
            var boundIterator = bound.stream.makeAsyncIterator()
            guard await startedIterator.next() != nil, let port = await boundIterator.next() else {
                try await tasks.waitForAll()
                Issue.record("the group ended before the gated service started")
                return
            }
            let health = try await httpGet(port: port, path: "/healthz")
            #expect(health.status == 200, "the server answers by the time the gated service runs")
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func aTakenPortFailsWithItsNameAndTheGatedServiceNeverStarts() async throws {
        let port = try freePort()
        let listening = AsyncStream<Int>.makeStream()
        let holder = ServiceGroup(services: [server(port: port) { listening.continuation.yield($0) }], logger: quiet)
        let startedTooEarly = AsyncStream<Void>.makeStream()
        let second = server(port: port)
        let group = ServiceGroup(services: [second, second.gating(SignallingService { startedTooEarly.continuation.yield() })], logger: quiet)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                do {
                    try await holder.run()
                } catch {
                    listening.continuation.finish()
                    throw error
                }
            }
            var iterator = listening.stream.makeAsyncIterator()
            guard await iterator.next() != nil else {
                try await tasks.waitForAll()
                Issue.record("the holder of the port ended before it listened")
                return
            }
            let failure = await #expect(throws: OperationsServer.BindError.self) { try await group.run() }
            #expect(failure?.port == port)
            #expect(failure?.reason == "Address already in use")
            startedTooEarly.continuation.finish()
            var started = startedTooEarly.stream.makeAsyncIterator()
            #expect(await started.next() == nil, "the gated service ran although the port was taken")
            await holder.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// Calls `onStart`, then runs until graceful shutdown.
struct SignallingService: Service {
    let onStart: @Sendable () -> Void

    func run() async throws {
        onStart()
        try? await gracefulShutdown()
    }
}
