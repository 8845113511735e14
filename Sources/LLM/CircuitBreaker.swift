import Metrics
import Synchronization

public enum BreakerState: String, Sendable {
    case closed, open
    case halfOpen = "half_open"

    /// The gauge value: 0 closed, 1 half-open, 2 open.
    public var gaugeValue: Int {
        switch self {
        case .closed: 0
        case .halfOpen: 1
        case .open: 2
        }
    }
}

/// The breaker's lifecycle, without I/O or clocks: closed → open after `threshold` consecutive
/// failures → after `cooldown`, half-open with exactly one probe → closed on its success, open
/// again on its failure.
public struct CircuitBreakerMachine: Sendable {
    public enum Permit: Sendable, Equatable {
        case allowed
        /// The one request allowed while half-open; report its outcome.
        case probe
        case rejected
    }

    enum Phase: Equatable {
        case closed(failures: Int)
        case open(until: ContinuousClock.Instant)
        case halfOpen(probing: Bool)
    }

    public let threshold: Int
    public let cooldown: Duration
    private(set) var phase = Phase.closed(failures: 0)

    public init(threshold: Int, cooldown: Duration) {
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
    }

    public var state: BreakerState {
        switch phase {
        case .closed: .closed
        case .open: .open
        case .halfOpen: .halfOpen
        }
    }

    public mutating func acquire(now: ContinuousClock.Instant) -> Permit {
        switch phase {
        case .closed:
            return .allowed
        case .open(let until):
            guard now >= until else { return .rejected }
            phase = .halfOpen(probing: true)
            return .probe
        case .halfOpen(let probing):
            guard !probing else { return .rejected }
            phase = .halfOpen(probing: true)
            return .probe
        }
    }

    public mutating func recordSuccess() {
        phase = .closed(failures: 0)
    }

    public mutating func recordFailure(now: ContinuousClock.Instant) {
        switch phase {
        case .closed(let failures):
            phase = failures + 1 >= threshold ? .open(until: now + cooldown) : .closed(failures: failures + 1)
        case .halfOpen, .open:
            phase = .open(until: now + cooldown)
        }
    }

    /// The probe ended without telling anything (cancelled): let another probe through.
    public mutating func releaseProbe() {
        if case .halfOpen = phase { phase = .halfOpen(probing: false) }
    }
}

/// A per-provider breaker shared by all calls, with its state in a gauge
/// (`aiworker_llm_breaker_state{provider}`: 0 closed, 1 half-open, 2 open).
public final class CircuitBreaker: Sendable {
    private let machine: Mutex<CircuitBreakerMachine>
    private let gauge: Gauge

    public init(provider: String, threshold: Int, cooldown: Duration) {
        machine = Mutex(CircuitBreakerMachine(threshold: threshold, cooldown: cooldown))
        gauge = Gauge(label: LLMMetricNames.breakerState, dimensions: [("provider", provider)])
        gauge.record(0)
    }

    public var state: BreakerState { machine.withLock { $0.state } }

    public func acquire(now: ContinuousClock.Instant = .now) -> CircuitBreakerMachine.Permit {
        update { $0.acquire(now: now) }
    }

    public func recordSuccess() { update { $0.recordSuccess() } }
    public func recordFailure(now: ContinuousClock.Instant = .now) { update { $0.recordFailure(now: now) } }
    public func releaseProbe() { update { $0.releaseProbe() } }

    private func update<T>(_ body: (inout CircuitBreakerMachine) -> T) -> T {
        let (value, state) = machine.withLock { machine in (body(&machine), machine.state) }
        gauge.record(state.gaugeValue)
        return value
    }
}

/// The LLM tier's metric names (`aiworker_llm_*`); labels are bounded.
public enum LLMMetricNames {
    /// Gauge {provider}: 0 closed, 1 half-open, 2 open.
    public static let breakerState = "aiworker_llm_breaker_state"
    /// Counter {provider, outcome=ok|http_4xx|http_429|http_5xx|timeout|connect|transport|invalid}: HTTP attempts.
    public static let requests = "aiworker_llm_requests_total"
    /// Counter {provider, reason=breaker_open|budget|failed|invalid_answer}: calls that fell back to the local result.
    public static let fallbacks = "aiworker_llm_fallbacks_total"
    /// Counter {provider, direction=input|output}: tokens billed.
    public static let tokens = "aiworker_llm_tokens_total"
    /// FloatingPointCounter {provider}: cost in USD.
    public static let cost = "aiworker_llm_cost_usd_total"
    /// Timer {provider}: one call, retries included.
    public static let duration = "aiworker_llm_call_duration_seconds"
}
