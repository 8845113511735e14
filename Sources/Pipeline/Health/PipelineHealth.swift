import Events
import Kafka
import Synchronization

/// A pipeline check's verdict: what `/readyz` and `/healthz` show for it.
public struct HealthVerdict: Sendable, Equatable {
    /// `kafka_consumer`, `kafka_producer`, `kafka_poll_loop`.
    public var name: String
    public var ok: Bool
    public var reason: String?
    public var details: [String: Int]
}

/// Readiness and liveness of the pipeline's Kafka clients, derived from what they report. Pure:
/// every transition takes the current instant, so it is tested step by step without I/O.
public struct PipelineHealthState: Sendable {
    public struct Thresholds: Sendable {
        /// Outputs waiting this long for a delivery acknowledgement, with none succeeding, mean
        /// the producer is wedged.
        public var producerStall: Duration = .seconds(60)
        /// A broker connection failing (`_TRANSPORT`) this long without any sign of a live
        /// broker (records, assignment, delivery, statistics) makes the consumer not ready.
        public var transportGrace: Duration = .seconds(15)
        /// The poll loop not running for this long fails liveness.
        public var pollStall: Duration = .seconds(60)
        /// The stall watchdog's threshold (shown in the readiness reason).
        public var partitionStall: Duration = .seconds(120)
        public init() {}
    }

    /// Errors that mean no broker can be reached (until a broker shows life again).
    static let unreachableCodes: Set<KafkaError.Code> = [.allBrokersDown, .authentication, .ssl, .resolve]
    /// Errors of a failing connection to one broker.
    static let transportCodes: Set<KafkaError.Code> = [.transport, .timedOut]

    public var thresholds = Thresholds()
    private var joined = false
    private var assignedPartitions = 0
    private var rebalances = 0
    private var unreachable: (code: String, since: ContinuousClock.Instant)?
    private var transportFailing: (code: String, since: ContinuousClock.Instant)?
    private var fatal: String?
    private var pendingDeliveries = 0
    private var producerProgress: ContinuousClock.Instant?
    private var lastDeliveryError: String?
    private var lastPollLoop: ContinuousClock.Instant?
    private var stopping = false
    private var haltedPartitions: [String] = []
    private var stalledPartitions: [String] = []

    public init(thresholds: Thresholds = Thresholds()) { self.thresholds = thresholds }

    // MARK: transitions

    /// A rebalance assigned partitions (possibly none: joined, waiting for partitions).
    public mutating func assigned(total: Int, now: ContinuousClock.Instant) {
        joined = true
        assignedPartitions = total
        rebalances += 1
        brokerAlive(now: now)
    }

    public mutating func revoked(total: Int) {
        assignedPartitions = total
    }

    /// A client-wide error from librdkafka.
    public mutating func clientError(_ error: KafkaError, now: ContinuousClock.Instant) {
        if error.isFatal || error.code == .fatal {
            fatal = error.name
        } else if let code = error.code, Self.unreachableCodes.contains(code) {
            if unreachable == nil { unreachable = (error.name, now) }
        } else if let code = error.code, Self.transportCodes.contains(code) {
            if transportFailing == nil { transportFailing = (error.name, now) }
        }
    }

    /// Something only a live broker could have caused: records, an assignment, an acknowledged
    /// delivery, statistics listing a broker in state UP.
    public mutating func brokerAlive(now: ContinuousClock.Instant) {
        if let down = unreachable, down.since <= now { unreachable = nil }
        if let failing = transportFailing, failing.since <= now { transportFailing = nil }
    }

    public mutating func deliveryEnqueued(now: ContinuousClock.Instant) {
        if pendingDeliveries == 0 { producerProgress = now }
        pendingDeliveries += 1
    }

    /// A delivery finished (acknowledged, or given up for good).
    public mutating func deliveryFinished(now: ContinuousClock.Instant) {
        pendingDeliveries = max(0, pendingDeliveries - 1)
        producerProgress = now
        lastDeliveryError = nil
    }

    /// A delivery failed and will be produced again.
    public mutating func deliveryFailed(code: String) {
        lastDeliveryError = code
    }

    public mutating func pollLoopAlive(now: ContinuousClock.Instant) { lastPollLoop = now }

    /// Partitions that stopped (an ai.error could not be produced; "topic[p]@offset: cause")
    /// and partitions the stall watchdog flags ("topic[p]"), as the pipeline reports them.
    public mutating func partitions(halted: [String], stalled: [String]) {
        haltedPartitions = halted
        stalledPartitions = stalled
    }

    /// The producer failed fatally: never ready again (the worker is shutting down).
    public mutating func producerFailed(_ name: String) { fatal = name }

    public mutating func stop() { stopping = true }

    // MARK: verdicts

    /// `kafka_consumer` (group joined, brokers reachable) and `kafka_producer` (not wedged).
    public func readiness(now: ContinuousClock.Instant) -> [HealthVerdict] {
        var consumerDetails = ["assigned_partitions": assignedPartitions, "rebalances": rebalances]
        let consumerReason: String?
        if stopping {
            consumerReason = "shutting down: draining in-flight events"
        } else if let fatal {
            consumerReason = "fatal Kafka client error \(fatal)"
        } else if let down = unreachable {
            let seconds = Self.seconds(now - down.since)
            consumerDetails["unreachable_seconds"] = seconds
            consumerReason = "brokers unreachable for \(seconds)s (\(down.code))"
        } else if let failing = transportFailing, now - failing.since >= thresholds.transportGrace {
            let seconds = Self.seconds(now - failing.since)
            consumerDetails["unreachable_seconds"] = seconds
            consumerReason = "broker connections failing for \(seconds)s (\(failing.code))"
        } else if !joined {
            consumerReason = "joining consumer group: no assignment yet"
        } else {
            consumerReason = nil
        }

        var producerDetails = ["pending_deliveries": pendingDeliveries]
        var producerReason: String?
        if let progress = producerProgress, pendingDeliveries > 0, now - progress >= thresholds.producerStall {
            let seconds = Self.seconds(now - progress)
            producerDetails["stalled_seconds"] = seconds
            producerReason = "\(pendingDeliveries) outputs unacknowledged for \(seconds)s" + (lastDeliveryError.map { " (last error \($0))" } ?? "")
        }
        var partitionsReason: String?
        if !haltedPartitions.isEmpty {
            partitionsReason = "stopped, an ai.error could not be produced: " + haltedPartitions.joined(separator: ", ")
        } else if !stalledPartitions.isEmpty {
            partitionsReason = "no progress with lag for \(Self.seconds(thresholds.partitionStall))s: " + stalledPartitions.joined(separator: ", ")
        }
        return [
            HealthVerdict(name: "kafka_consumer", ok: consumerReason == nil, reason: consumerReason, details: consumerDetails),
            HealthVerdict(name: "kafka_producer", ok: producerReason == nil, reason: producerReason, details: producerDetails),
            HealthVerdict(
                name: "kafka_partitions", ok: partitionsReason == nil, reason: partitionsReason,
                details: ["halted": haltedPartitions.count, "stalled": stalledPartitions.count]
            ),
        ]
    }

    /// `kafka_poll_loop`: the consumer's poll thread keeps running.
    public func liveness(now: ContinuousClock.Instant) -> [HealthVerdict] {
        guard let lastPollLoop, !stopping else {
            return [HealthVerdict(name: "kafka_poll_loop", ok: true, reason: nil, details: [:])]
        }
        let idle = now - lastPollLoop
        let ok = idle < thresholds.pollStall
        return [
            HealthVerdict(
                name: "kafka_poll_loop", ok: ok, reason: ok ? nil : "Kafka poll loop has not run for \(Self.seconds(idle))s",
                details: ["last_poll_ms_ago": idle.wholeMilliseconds]
            )
        ]
    }

    static func seconds(_ duration: Duration) -> Int { Int(duration.components.seconds) }
}

/// What the statistics callback tells the pipeline (a subset of librdkafka's STATISTICS.md).
public struct KafkaStatistics: Sendable, Equatable {
    /// Brokers (not logical/internal ones) whose connection state is UP.
    public var brokersUp = 0
    /// Consumer lag of each assigned partition, from the stored (else committed) offset.
    public var lag: [TopicPartition: Int64] = [:]

    public init(brokersUp: Int = 0, lag: [TopicPartition: Int64] = [:]) {
        self.brokersUp = brokersUp
        self.lag = lag
    }

    /// Nil when the bytes are not librdkafka's statistics object.
    public init?(json bytes: [UInt8]) {
        guard let document = try? JSONParser.parse(bytes), case .object(let root) = document else { return nil }
        if case .object(let brokers)? = root["brokers"] {
            for (_, broker) in brokers.members {
                let source = broker["source"]?.stringValue ?? ""
                if source != "logical", source != "internal", broker["state"]?.stringValue == "UP" { brokersUp += 1 }
            }
        }
        if case .object(let topics)? = root["topics"] {
            for (topic, entry) in topics.members {
                guard case .object(let partitions)? = entry["partitions"] else { continue }
                for (key, partition) in partitions.members {
                    guard let number = Int32(key), number >= 0 else { continue }
                    if case .bool(false)? = partition["desired"] { continue }
                    let lag = Self.number(partition["consumer_lag_stored"]) ?? Self.number(partition["consumer_lag"])
                    if let lag, lag >= 0 { self.lag[TopicPartition(topic: topic, partition: number)] = lag }
                }
            }
        }
    }

    private static func number(_ value: JSONValue?) -> Int64? {
        guard case .number(let number)? = value else { return nil }
        return Int64(exactly: number.rounded(.towardZero))
    }
}

/// The health state shared by the poll threads, workers and the HTTP probes.
public final class PipelineHealth: Sendable {
    private let state: Mutex<PipelineHealthState>

    public init(thresholds: PipelineHealthState.Thresholds = .init()) {
        state = Mutex(PipelineHealthState(thresholds: thresholds))
    }

    /// The health of a pipeline run with `settings` (its stall timeout).
    public convenience init(settings: PipelineSettings) {
        var thresholds = PipelineHealthState.Thresholds()
        thresholds.partitionStall = settings.stallTimeout
        self.init(thresholds: thresholds)
    }

    public func update(_ body: (inout PipelineHealthState) -> Void) {
        state.withLock { body(&$0) }
    }

    public func readiness() -> [HealthVerdict] {
        let now = ContinuousClock.now
        return state.withLock { $0.readiness(now: now) }
    }

    public func liveness() -> [HealthVerdict] {
        let now = ContinuousClock.now
        return state.withLock { $0.liveness(now: now) }
    }
}
