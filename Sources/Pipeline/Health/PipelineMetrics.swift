import Events
import Kafka
import Metrics
import Synchronization

/// Names of the pipeline's metrics (`aiworker_<area>_<what>_<unit>`); labels are bounded: topic
/// names from configuration, outcomes, tiers, intents, error codes, partition numbers.
public enum PipelineMetricNames {
    /// Counter {topic}: input records fetched.
    public static let consumed = "aiworker_events_consumed_total"
    /// Counter {topic, outcome=result|error|skipped}: inputs processed, by what became of them.
    public static let processed = "aiworker_events_processed_total"
    /// Counter {topic, error_code}: inputs answered with an `ai.error`.
    public static let failed = "aiworker_events_failed_total"
    /// Counter {topic}: outputs acknowledged by the broker (`ai.process.result`, `ai.error`).
    public static let produced = "aiworker_events_produced_total"
    /// Histogram {tier=rules|ml|llm|none}: time from dequeue to output built, in seconds.
    public static let processingDuration = "aiworker_processing_duration_seconds"
    /// Counter {intent, tier}: intents decided.
    public static let intents = "aiworker_intents_total"
    /// Gauge: events admitted and not yet acknowledged.
    public static let inFlight = "aiworker_events_in_flight"
    /// Gauge: partitions paused by backpressure.
    public static let pausedPartitions = "aiworker_consumer_paused_partitions"
    /// Gauge: partitions assigned to this member.
    public static let assignedPartitions = "aiworker_consumer_assigned_partitions"
    /// Counter {kind=assign|revoke}: rebalance callbacks.
    public static let rebalances = "aiworker_consumer_rebalances_total"
    /// Gauge {topic, partition}: messages behind the partition's high watermark (from librdkafka statistics).
    public static let lag = "aiworker_consumer_lag_messages"
    /// Counter {error_code}: client-wide Kafka errors (broker down, transport, auth).
    public static let clientErrors = "aiworker_kafka_client_errors_total"
    /// Gauge: messages in the producer's queue, not yet acknowledged.
    public static let producerQueue = "aiworker_producer_queue_messages"
    /// Counter {error_code}: failed produce attempts (retried, rejected or halting; see the README).
    public static let deliveryErrors = "aiworker_producer_delivery_errors_total"
    /// Counter {error_code}: results replaced by an `OUTPUT_REJECTED` ai.error.
    public static let rejected = "aiworker_outputs_rejected_total"
    /// Gauge: partitions stopped because an input's ai.error could not be produced.
    public static let haltedPartitions = "aiworker_consumer_halted_partitions"
    /// Gauge: partitions with lag and no progress for `STALL_TIMEOUT_MS` (the stall watchdog).
    public static let stalledPartitions = "aiworker_consumer_stalled_partitions"
    /// Gauge: brokers with a connection in state UP (from librdkafka statistics).
    public static let brokersUp = "aiworker_kafka_brokers_up"
}

/// The pipeline's swift-metrics instruments, created once per label set and cached.
final class PipelineMetrics: Sendable {
    /// A metric name and its label values (no string building per event).
    private struct InstrumentKey: Hashable {
        var name: String
        var labels: [String]
    }

    /// What `processed` records for one kind of output, looked up once per event.
    private struct ProcessedKey: Hashable {
        var topic: String
        var kind: OutputSummary.Kind
        var errorCode: EventError.Code?
        var intent: Intent?
        var tier: Tier?
    }

    private struct ProcessedInstruments {
        var processed: Counter
        var failed: Counter?
        var intent: Counter?
        var duration: Metrics.Timer?
    }

    private struct Instruments {
        var processed: [ProcessedKey: ProcessedInstruments] = [:]
        var produced: [String: Counter] = [:]
        var counters: [InstrumentKey: Counter] = [:]
        var timers: [InstrumentKey: Metrics.Timer] = [:]
        var lag: [TopicPartition: Gauge] = [:]
    }
    private let instruments = Mutex(Instruments())
    private let lastSample = Mutex<ContinuousClock.Instant?>(nil)
    private let inFlight = Gauge(label: PipelineMetricNames.inFlight)
    private let paused = Gauge(label: PipelineMetricNames.pausedPartitions)
    private let assigned = Gauge(label: PipelineMetricNames.assignedPartitions)
    private let producerQueue = Gauge(label: PipelineMetricNames.producerQueue)
    private let brokersUp = Gauge(label: PipelineMetricNames.brokersUp)
    private let halted = Gauge(label: PipelineMetricNames.haltedPartitions)
    private let stalled = Gauge(label: PipelineMetricNames.stalledPartitions)

    private func counter(_ name: String, _ dimensions: [(String, String)]) -> Counter {
        let key = InstrumentKey(name: name, labels: dimensions.map(\.1))
        return instruments.withLock { state in
            if let existing = state.counters[key] { return existing }
            let counter = Counter(label: name, dimensions: dimensions)
            state.counters[key] = counter
            return counter
        }
    }

    private func timer(_ name: String, _ dimensions: [(String, String)]) -> Metrics.Timer {
        let key = InstrumentKey(name: name, labels: dimensions.map(\.1))
        return instruments.withLock { state in
            if let existing = state.timers[key] { return existing }
            let timer = Metrics.Timer(label: name, dimensions: dimensions, preferredDisplayUnit: .seconds)
            state.timers[key] = timer
            return timer
        }
    }

    func consumed(_ records: [KafkaRecord]) {
        var byTopic: [String: Int] = [:]
        for record in records { byTopic[record.topic, default: 0] += 1 }
        for (topic, count) in byTopic { counter(PipelineMetricNames.consumed, [("topic", topic)]).increment(by: count) }
    }

    func processed(_ summary: OutputSummary, duration: Duration) {
        let key = ProcessedKey(topic: summary.sourceTopic, kind: summary.kind, errorCode: summary.errorCode, intent: summary.intent, tier: summary.tier)
        let instruments = instruments.withLock { state in
            if let existing = state.processed[key] { return existing }
            let created = Self.makeProcessedInstruments(key)
            state.processed[key] = created
            return created
        }
        instruments.processed.increment()
        instruments.failed?.increment()
        instruments.intent?.increment()
        instruments.duration?.record(duration: duration)
    }

    private static func makeProcessedInstruments(_ key: ProcessedKey) -> ProcessedInstruments {
        let tier = key.tier?.rawValue ?? "none"
        return ProcessedInstruments(
            processed: Counter(label: PipelineMetricNames.processed, dimensions: [("topic", key.topic), ("outcome", key.kind.rawValue)]),
            failed: key.errorCode.map { Counter(label: PipelineMetricNames.failed, dimensions: [("topic", key.topic), ("error_code", $0.rawValue)]) },
            intent: key.intent.map { Counter(label: PipelineMetricNames.intents, dimensions: [("intent", $0.rawValue), ("tier", tier)]) },
            duration: key.kind == .skipped
                ? nil : Metrics.Timer(label: PipelineMetricNames.processingDuration, dimensions: [("tier", tier)], preferredDisplayUnit: .seconds)
        )
    }

    func produced(topic: String) {
        let counter = instruments.withLock { state in
            if let existing = state.produced[topic] { return existing }
            let created = Counter(label: PipelineMetricNames.produced, dimensions: [("topic", topic)])
            state.produced[topic] = created
            return created
        }
        counter.increment()
    }

    func deliveryFailed(code: String) {
        counter(PipelineMetricNames.deliveryErrors, [("error_code", code)]).increment()
    }

    func rejected(code: String) {
        counter(PipelineMetricNames.rejected, [("error_code", code)]).increment()
    }

    func partitions(halted haltedCount: Int, stalled stalledCount: Int) {
        halted.record(haltedCount)
        stalled.record(stalledCount)
    }

    func clientError(code: String) {
        counter(PipelineMetricNames.clientErrors, [("error_code", code)]).increment()
    }

    func rebalance(_ kind: String) {
        counter(PipelineMetricNames.rebalances, [("kind", kind)]).increment()
    }

    /// True at most once a second: time to sample the gauges.
    func sampleDue(now: ContinuousClock.Instant) -> Bool {
        lastSample.withLock { last in
            if let previous = last, now - previous < .seconds(1) { return false }
            last = now
            return true
        }
    }

    func sample(stats: PipelineStats, assignedCount: Int, producerQueue queued: Int) {
        inFlight.record(stats.inFlight)
        paused.record(stats.paused ? assignedCount : 0)
        assigned.record(assignedCount)
        producerQueue.record(queued)
    }

    /// Lag gauges for the partitions in `statistics`; gauges of partitions gone are removed.
    func statistics(_ statistics: KafkaStatistics) {
        brokersUp.record(statistics.brokersUp)
        let gone: [Gauge] = instruments.withLock { state in
            for (partition, lag) in statistics.lag {
                let gauge = state.lag[partition] ?? Gauge(
                    label: PipelineMetricNames.lag, dimensions: [("topic", partition.topic), ("partition", String(partition.partition))]
                )
                state.lag[partition] = gauge
                gauge.record(lag)
            }
            let stale = state.lag.keys.filter { statistics.lag[$0] == nil }
            return stale.compactMap { state.lag.removeValue(forKey: $0) }
        }
        for gauge in gone { gauge.destroy() }
    }
}

/// The producer, once created, for the consumer's poll thread to sample its queue depth.
final class ProducerBox: Sendable {
    private let value = Mutex<KafkaProducer?>(nil)
    var producer: KafkaProducer? { value.withLock { $0 } }
    func set(_ producer: KafkaProducer?) { value.withLock { $0 = producer } }
}
