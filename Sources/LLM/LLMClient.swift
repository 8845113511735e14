import Events
import Foundation
import Logging
import Metrics

/// Why the LLM tier gave no answer. `description` is safe for logs: no key, no customer text.
public struct LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case breakerOpen = "breaker_open"
        case budgetExhausted = "budget"
        case timeout, transport
        case http
        case invalidAnswer = "invalid_answer"
        case deadline, cancelled
    }
    public var code: Code
    /// The HTTP status, for `.http`.
    public var status: Int?
    public var detail: String

    public var description: String { "LLM \(code.rawValue)" + (status.map { " \($0)" } ?? "") + ": \(detail)" }
}

/// The outcome of one LLM call: an answer, or why there is none; usage either way.
public struct LLMResult: Sendable {
    public var answer: LLMAnswer?
    public var error: LLMError?
    /// `used` is true when at least one HTTP request was sent.
    public var usage: LLMUsage
    /// HTTP requests sent (retries and the repair included).
    public var requests: Int
}

/// The LLM tier: prompt, provider call with retries, circuit breaker, budget, validation.
/// `analyze` never throws and always ends within `configuration.deadline` (plus one
/// connect timeout): the caller falls back to its local result on any error.
public final class LLMClient: Sendable {
    public let configuration: LLMConfiguration
    private let http: CurlClient
    private let breaker: CircuitBreaker
    private let ledger: any SpendLedger
    private let wire: ProviderWire
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let metrics: LLMMetrics

    /// `http` is shared and owned by the caller (shut it down after the client's last use).
    public init(
        configuration: LLMConfiguration, http: CurlClient, ledger: any SpendLedger = InMemorySpendLedger(),
        logger: Logger = Logger(label: "ai-worker.llm"), now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.configuration = configuration
        self.http = http
        self.ledger = ledger
        self.logger = logger
        self.now = now
        wire = ProviderWire(configuration: configuration)
        breaker = CircuitBreaker(
            provider: configuration.provider.rawValue, threshold: configuration.breakerFailureThreshold, cooldown: configuration.breakerCooldown
        )
        metrics = LLMMetrics(provider: configuration.provider.rawValue)
    }

    /// The provider's breaker (also in the `aiworker_llm_breaker_state` gauge).
    public var breakerState: BreakerState { breaker.state }

    public func analyze(_ request: LLMRequest) async -> LLMResult {
        let started = ContinuousClock.now
        let model = configuration.route(text: request.text)
        var result = LLMResult(usage: LLMUsage(used: false, provider: configuration.provider.rawValue, model: model), requests: 0)
        defer { metrics.duration.recordNanoseconds((ContinuousClock.now - started).wholeNanoseconds) }
        func fail(_ code: LLMError.Code, status: Int? = nil, _ detail: String) -> LLMResult {
            result.error = LLMError(code: code, status: status, detail: detail)
            metrics.fallback(code)
            logger.debug("LLM tier fell back to the local result", metadata: ["llm.error": "\(code.rawValue)", "llm.status": "\(status ?? 0)"])
            return result
        }
        let day = UTCDay.string(now())
        if let budget = configuration.dailyBudgetUSD {
            let spent = await ledger.spent(tenant: request.tenantID, business: request.businessID, day: day)
            if spent >= budget { return fail(.budgetExhausted, "the business's daily LLM budget is spent") }
        }
        let deadline = started + configuration.deadline
        var turns = [ProviderWire.Turn(role: .user, text: Prompt.user(request))]
        var repaired = false
        var retries = 0
        while true {
            let permit = breaker.acquire()
            if permit == .rejected { return fail(.breakerOpen, "the provider's circuit breaker is open") }
            let remaining = deadline - .now
            guard remaining > .milliseconds(1) else {
                if permit == .probe { breaker.releaseProbe() }
                return fail(.deadline, "the call's deadline passed")
            }
            let httpRequest = wire.request(
                model: model, turns: turns, timeout: min(configuration.timeout, remaining), trace: (request.traceparent, request.tracestate)
            )
            result.usage.used = true
            result.requests += 1
            let response: HTTPResponse
            do {
                response = try await http.send(httpRequest)
            } catch {
                metrics.request(error.code.rawValue)
                if error.code == .cancelled || error.code == .shutdown {
                    if permit == .probe { breaker.releaseProbe() }
                    return fail(.cancelled, error.description)
                }
                recordFailure()
                let code: LLMError.Code = error.code == .timeout ? .timeout : .transport
                guard error.retryable, retries < configuration.maxRetries, permit != .probe else { return fail(code, error.description) }
                guard await wait(backoff(retries), deadline: deadline) else { return fail(code, error.description + "; no time left to retry") }
                retries += 1
                continue
            }
            let status = response.status
            switch status {
            case 200..<300:
                metrics.request("ok")
                recordSuccess()
                guard let reply = wire.reply(from: response.body) else {
                    metrics.request("invalid")
                    return fail(.invalidAnswer, "the response is not a \(configuration.provider.rawValue) reply")
                }
                let cost = configuration.prices.price(for: model).cost(inputTokens: reply.inputTokens, outputTokens: reply.outputTokens)
                result.usage.inputTokens += reply.inputTokens
                result.usage.outputTokens += reply.outputTokens
                result.usage.costUSD += cost
                metrics.bill(input: reply.inputTokens, output: reply.outputTokens, cost: cost)
                if cost > 0 { await ledger.add(tenant: request.tenantID, business: request.businessID, day: day, costUSD: cost) }
                switch AnswerValidator.validate(text: reply.text, request: request, model: model, maxConfidence: configuration.maxConfidence) {
                case .success(let answer):
                    result.answer = answer
                    return result
                case .failure(let rejection):
                    metrics.request("invalid")
                    guard !repaired else { return fail(.invalidAnswer, "invalid after the repair attempt: \(rejection.reason)") }
                    repaired = true
                    logger.debug("LLM answer rejected; asking once more", metadata: ["llm.reason": "\(rejection.reason)"])
                    turns.append(ProviderWire.Turn(role: .assistant, text: String(reply.text.prefix(4000))))
                    turns.append(ProviderWire.Turn(role: .user, text: Prompt.repair(reason: rejection.reason)))
                }
            case 408, 429, 500...599:
                metrics.request(status == 429 ? "http_429" : (status == 408 ? "timeout" : "http_5xx"))
                recordFailure()
                guard retries < configuration.maxRetries, permit != .probe else { return fail(.http, status: status, "the provider answered \(status)") }
                let delay = Self.retryAfter(response.header("retry-after"), now: now()) ?? backoff(retries)
                guard await wait(delay, deadline: deadline) else {
                    return fail(.http, status: status, "the provider answered \(status); its Retry-After is beyond the deadline")
                }
                retries += 1
            default:
                metrics.request("http_4xx")
                // Bad credentials or endpoint make the provider unusable: count them toward the
                // breaker. Other 4xx are about this request only.
                if [401, 403, 404].contains(status) { recordFailure() } else { recordSuccess() }
                return fail(.http, status: status, "the provider refused the request with \(status)")
            }
        }
    }

    private func recordFailure() {
        let before = breaker.state
        breaker.recordFailure()
        if before != .open, breaker.state == .open {
            logger.warning("LLM circuit breaker opened", metadata: ["llm.provider": "\(configuration.provider.rawValue)"])
        }
    }

    private func recordSuccess() {
        let before = breaker.state
        breaker.recordSuccess()
        if before != .closed { logger.info("LLM circuit breaker closed", metadata: ["llm.provider": "\(configuration.provider.rawValue)"]) }
    }

    /// Exponential backoff with full jitter: uniform in 0...min(cap, base·2^attempt).
    func backoff(_ attempt: Int) -> Duration {
        let ceiling = min(configuration.backoffCap.inSeconds, configuration.backoffBase.inSeconds * pow(2, Double(min(attempt, 20))))
        return .milliseconds(Int(Double.random(in: 0...ceiling) * 1000))
    }

    /// Sleeps unless the wait would pass the deadline or the task is cancelled.
    private func wait(_ delay: Duration, deadline: ContinuousClock.Instant) async -> Bool {
        guard ContinuousClock.now + delay < deadline else { return false }
        do { try await Task.sleep(for: delay) } catch { return false }
        return true
    }

    /// `Retry-After` as seconds or an HTTP date; nil when absent or unreadable.
    static func retryAfter(_ value: String?, now: Date) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return .milliseconds(Int(min(seconds, maxRetryAfterSeconds) * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int(min(max(0, date.timeIntervalSince(now)), maxRetryAfterSeconds) * 1000))
    }

    /// Longer waits are all "beyond the deadline"; the cap keeps the conversion from trapping
    /// on an absurd header (`Retry-After: 99999999999999999999`).
    static let maxRetryAfterSeconds: Double = 86_400
}

/// The tier's instruments, created once.
struct LLMMetrics: Sendable {
    let provider: String
    let requests: [String: Counter]
    let fallbacks: [LLMError.Code: Counter]
    let inputTokens: Counter
    let outputTokens: Counter
    let cost: FloatingPointCounter
    let duration: Metrics.Timer

    init(provider: String) {
        self.provider = provider
        let outcomes = ["ok", "http_4xx", "http_429", "http_5xx", "timeout", "connect", "tls", "transport", "too_large", "invalid_request", "invalid", "cancelled", "shutdown"]
        requests = Dictionary(uniqueKeysWithValues: outcomes.map {
            ($0, Counter(label: LLMMetricNames.requests, dimensions: [("provider", provider), ("outcome", $0)]))
        })
        let codes: [LLMError.Code] = [.breakerOpen, .budgetExhausted, .timeout, .transport, .http, .invalidAnswer, .deadline, .cancelled]
        fallbacks = Dictionary(uniqueKeysWithValues: codes.map {
            ($0, Counter(label: LLMMetricNames.fallbacks, dimensions: [("provider", provider), ("reason", $0.rawValue)]))
        })
        inputTokens = Counter(label: LLMMetricNames.tokens, dimensions: [("provider", provider), ("direction", "input")])
        outputTokens = Counter(label: LLMMetricNames.tokens, dimensions: [("provider", provider), ("direction", "output")])
        cost = FloatingPointCounter(label: LLMMetricNames.cost, dimensions: [("provider", provider)])
        duration = Metrics.Timer(label: LLMMetricNames.duration, dimensions: [("provider", provider)])
    }

    func request(_ outcome: String) { requests[outcome]?.increment() }
    func fallback(_ code: LLMError.Code) { fallbacks[code]?.increment() }
    func bill(input: Int, output: Int, cost: Double) {
        inputTokens.increment(by: input)
        outputTokens.increment(by: output)
        self.cost.increment(by: cost)
    }
}
