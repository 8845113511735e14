import Events
import Logging
import ServiceLifecycle

/// Exponential backoff with jitter. Attempt `n` (1-based) waits
/// `base = min(maximumDelay, initialDelay * multiplier^(n-1))`, of which the `jitter` fraction is
/// randomized: `base * (1 - jitter) + base * jitter * random`, `random` in `0..<1`.
public struct RetryPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var multiplier: Double
    public var jitter: Double

    public init(
        initialDelay: Duration = .milliseconds(50),
        maximumDelay: Duration = .seconds(10),
        multiplier: Double = 2,
        jitter: Double = 0.5
    ) {
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = max(1, multiplier)
        self.jitter = min(1, max(0, jitter))
    }

    public func delay(attempt: Int, random: Double) -> Duration {
        let initial = initialDelay.inSeconds
        let maximum = maximumDelay.inSeconds
        let exponent = Double(max(0, attempt - 1))
        let base = min(maximum, initial * pow(multiplier, min(exponent, 64)))
        let unit = min(max(random, 0), 1)
        let seconds = base * (1 - jitter) + base * jitter * unit
        return .nanoseconds(Int64((seconds * 1e9).rounded()))
    }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(exponent)
        while remaining > 0 && result < 1e12 {
            result *= base
            remaining -= 1
        }
        return result
    }
}

/// Runs an operation until it succeeds or fails permanently: retryable `PersistenceError`s are
/// retried with `policy`'s backoff, without limit (the worker keeps the offset uncommitted
/// meanwhile). Cancellation, during the operation or the wait, ends it with `.shutdown`; so does
/// graceful shutdown (SIGTERM under a ServiceGroup) once the operation has failed: a worker whose
/// database is down stops retrying and exits instead of ignoring the signal.
/// `sleep` and `random` are injectable for tests.
public struct Retrier: Sendable {
    public var policy: RetryPolicy
    public var sleep: @Sendable (Duration) async throws -> Void
    public var random: @Sendable () -> Double
    public var logger: Logger
    /// Called before each wait with the attempt number (1 = first retry) and the error; for metrics.
    public var onRetry: @Sendable (Int, PersistenceError) -> Void

    public init(
        policy: RetryPolicy = RetryPolicy(),
        logger: Logger,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        onRetry: @escaping @Sendable (Int, PersistenceError) -> Void = { _, _ in }
    ) {
        self.policy = policy
        self.logger = logger
        self.sleep = sleep
        self.random = random
        self.onRetry = onRetry
    }

    /// - Parameter retryingPermanentErrors: retry every error but `.shutdown` (used for the last
    ///   resort of dead-lettering: stalling with error logs beats losing a record).
    public func run<T>(
        retryingPermanentErrors: Bool = false,
        _ operation: () async throws(PersistenceError) -> T
    ) async throws(PersistenceError) -> T {
        var attempt = 0
        while true {
            do {
                return try await operation()
            } catch {
                guard error.code != .shutdown, error.isRetryable || retryingPermanentErrors else { throw error }
                if Task.isCancelled || Task.isShuttingDownGracefully {
                    throw PersistenceError(code: .shutdown, message: "stopping: not retrying", detail: "\(error)")
                }
                attempt += 1
                let delay = policy.delay(attempt: attempt, random: random())
                onRetry(attempt, error)
                let metadata: Logger.Metadata = [
                    LogFields.errorCode: "\(error.code)",
                    LogKeys.attempt: "\(attempt)",
                    LogKeys.delay: "\(delay.wholeMilliseconds)",
                ]
                if error.isRetryable && error.code != .misconfigured {
                    logger.warning("Database operation failed; retrying", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                } else {
                    logger.error("Database operation failed and needs an operator; retrying", metadata: metadata.merging(["error": "\(error)"]) { $1 })
                }
                do {
                    try await cancelWhenGracefulShutdown { try await sleep(delay) }
                } catch {
                    throw PersistenceError(code: .shutdown, message: "cancelled while retrying")
                }
            }
        }
    }
}
