import Kafka
import Logging

/// The embedded broker (librdkafka's mock cluster) as the daemons and tests start it.
public enum EmbeddedBroker {
    /// Consumer settings the mock needs for timely group joins and fetches: it holds empty
    /// fetches for the whole `fetch.wait.max.ms` (bench/perf README). Real clusters keep
    /// librdkafka's defaults.
    public static let consumerTuning = KafkaProperties([
        "session.timeout.ms": "6000",
        "heartbeat.interval.ms": "500",
        "fetch.wait.max.ms": "10",
    ])

    /// `consumerTuning` written as `KAFKA_CONSUMER_CONFIG` takes it, for clients in other processes.
    public static var consumerTuningList: String { consumerTuning.entries.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }

    /// Starts the mock cluster (3 brokers) with `topics` created, 3 partitions each.
    public static func start(topics: [String], logger: Logger) throws -> EmbeddedKafka {
        let broker = try EmbeddedKafka(brokers: 3, logger: logger)
        for topic in topics { try broker.createTopic(topic, partitions: 3) }
        return broker
    }
}
