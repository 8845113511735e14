import ServiceLifecycle
import Synchronization

extension OperationsServer {
    /// The operations port could not be bound (taken by another process, or not allowed).
    public struct BindError: Error, CustomStringConvertible {
        public var host: String
        public var port: Int
        /// The system's reason, e.g. `Address already in use`.
        public var reason: String
        public var description: String { "cannot listen on \(host):\(port): \(reason)" }
    }

    /// `service` started only once this server listens, so that a taken port stops start-up
    /// before anything else runs; when binding fails it throws the server's `BindError` instead.
    /// One gated service per server.
    public func gating(_ service: some Service) -> some Service {
        ServiceAfterBind(bind: bind, service: service)
    }
}

/// Whether the operations server bound its port: told once by the server, awaited by the one
/// service it gates.
final class BindSignal: Sendable {
    private let outcome = AsyncThrowingStream<Void, any Error>.makeStream(bufferingPolicy: .bufferingNewest(1))
    private let bound = Mutex(false)

    func listening() {
        bound.withLock { $0 = true }
        outcome.continuation.yield()
        outcome.continuation.finish()
    }

    /// Reports `error` to the waiter when the port was never bound; false when it had been
    /// (the error came later, it is not a bind failure).
    func failed(_ error: OperationsServer.BindError) -> Bool {
        guard !bound.withLock({ $0 }) else { return false }
        outcome.continuation.finish(throwing: error)
        return true
    }

    /// Returns once the port is bound; throws the `BindError`, or `CancellationError` when the
    /// waiting task is cancelled first.
    func waitUntilListening() async throws {
        for try await _ in outcome.stream { return }
        throw CancellationError()
    }
}

struct ServiceAfterBind<Gated: Service>: Service {
    let bind: BindSignal
    let service: Gated

    func run() async throws {
        try await bind.waitUntilListening()
        try await service.run()
    }
}
