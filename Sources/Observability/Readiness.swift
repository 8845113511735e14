/// A value in a probe's JSON details.
public enum ProbeDetail: Sendable, Equatable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }

    var json: String {
        switch self {
        case .string(let text): JSONText.quoted(text)
        case .int(let value): String(value)
        case .double(let value): value.isFinite ? String(value) : "null"
        case .bool(let value): value ? "true" : "false"
        }
    }
}

/// The outcome of one probe.
public struct ProbeResult: Sendable, Equatable {
    public var ready: Bool
    /// Why it is not ready (operator-readable, no secrets); nil when ready.
    public var reason: String?
    /// Facts worth showing either way (`assigned_partitions`, `pending_deliveries`…).
    public var details: [String: ProbeDetail]

    public init(ready: Bool, reason: String? = nil, details: [String: ProbeDetail] = [:]) {
        self.ready = ready
        self.reason = reason
        self.details = details
    }

    public static func ready(_ details: [String: ProbeDetail] = [:]) -> ProbeResult { ProbeResult(ready: true, details: details) }
    public static func notReady(_ reason: String, details: [String: ProbeDetail] = [:]) -> ProbeResult {
        ProbeResult(ready: false, reason: reason, details: details)
    }
}

/// One dependency the service needs to do its work: the Kafka group, the producer, a database.
/// `/readyz` answers 200 only when every readiness probe is ready; `/healthz` uses the same
/// protocol for liveness probes (a stuck poll loop). `check` must not block a thread: a probe
/// that needs I/O awaits it (it is cancelled after the server's probe timeout).
public protocol ReadinessProbe: Sendable {
    /// A short stable name (`kafka_consumer`, `database`): the key in the JSON answer.
    var name: String { get }
    func check() async -> ProbeResult
}

/// A probe from a closure.
public struct ClosureProbe: ReadinessProbe {
    public let name: String
    private let body: @Sendable () async -> ProbeResult
    public init(name: String, _ body: @escaping @Sendable () async -> ProbeResult) {
        self.name = name
        self.body = body
    }
    public func check() async -> ProbeResult { await body() }
}

/// The combined answer of a set of probes.
public struct HealthReport: Sendable, Equatable {
    public var ok: Bool
    public var checks: [(name: String, result: ProbeResult)]
    /// Extra top-level fields (`uptime_seconds`).
    public var extra: [String: ProbeDetail]

    public init(checks: [(name: String, result: ProbeResult)], extra: [String: ProbeDetail] = [:]) {
        self.checks = checks
        self.ok = checks.allSatisfy(\.result.ready)
        self.extra = extra
    }

    /// The first failing check's reason, prefixed by its name.
    public var reason: String? {
        let failing = checks.filter { !$0.result.ready }
        guard !failing.isEmpty else { return nil }
        return failing.map { "\($0.name): \($0.result.reason ?? "not ready")" }.joined(separator: "; ")
    }

    /// `{"status":"ready"|"not_ready","reason":…,"checks":{name:{"ready":…,"reason":…,…details}}}`;
    /// `okStatus`/`failStatus` name the two states (`ok`/`failing` for /healthz).
    public func json(okStatus: String = "ready", failStatus: String = "not_ready") -> String {
        var output = "{\"status\":\(JSONText.quoted(ok ? okStatus : failStatus))"
        if let reason { output += ",\"reason\":\(JSONText.quoted(reason))" }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { output += ",\(JSONText.quoted(key)):\(value.json)" }
        output += ",\"checks\":{"
        for (index, check) in checks.enumerated() {
            if index > 0 { output += "," }
            output += "\(JSONText.quoted(check.name)):{\"ready\":\(check.result.ready)"
            if let reason = check.result.reason { output += ",\"reason\":\(JSONText.quoted(reason))" }
            for (key, value) in check.result.details.sorted(by: { $0.key < $1.key }) where key != "ready" && key != "reason" {
                output += ",\(JSONText.quoted(key)):\(value.json)"
            }
            output += "}"
        }
        return output + "}}"
    }

    public static func == (lhs: HealthReport, rhs: HealthReport) -> Bool {
        lhs.ok == rhs.ok && lhs.extra == rhs.extra && lhs.checks.map(\.name) == rhs.checks.map(\.name)
            && lhs.checks.map(\.result) == rhs.checks.map(\.result)
    }

    /// Runs the probes concurrently; one that does not answer within `timeout` is not ready.
    public static func evaluate(_ probes: [any ReadinessProbe], timeout: Duration, extra: [String: ProbeDetail] = [:]) async -> HealthReport {
        let results = await withTaskGroup(of: (Int, ProbeResult).self) { group in
            for (index, probe) in probes.enumerated() {
                group.addTask {
                    await withTaskGroup(of: ProbeResult?.self) { race in
                        race.addTask { await probe.check() }
                        race.addTask {
                            try? await Task.sleep(for: timeout)
                            return Task.isCancelled ? nil : .notReady("no answer within \(timeout)")
                        }
                        var answer: ProbeResult?
                        while answer == nil, let next = await race.next() { answer = next }
                        race.cancelAll()
                        return (index, answer ?? .notReady("probe cancelled"))
                    }
                }
            }
            var results = [ProbeResult?](repeating: nil, count: probes.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
        return HealthReport(
            checks: zip(probes, results).map { ($0.name, $1 ?? .notReady("probe did not run")) }, extra: extra
        )
    }
}
