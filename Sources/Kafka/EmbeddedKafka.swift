import CRdKafka
import Logging

/// librdkafka's mock cluster: real Kafka protocol on loopback, in this process.
/// Every client (in this process or another, kcat too) reaches it via `bootstrapServers`.
public final class EmbeddedKafka: Sendable {
    private let cluster: MockCluster
    public let bootstrapServers: String
    public let brokerCount: Int32

    /// Destroys the mock cluster before the handle that owns it (the reverse order aborts).
    private final class MockCluster: @unchecked Sendable {
        // The mock cluster is driven by its own thread; its API is safe to call from any thread.
        let pointer: OpaquePointer
        private let owner: RdKafkaHandle
        init(pointer: OpaquePointer, owner: RdKafkaHandle) {
            self.pointer = pointer
            self.owner = owner
        }
        deinit { rd_kafka_mock_cluster_destroy(pointer) }
    }

    public init(brokers: Int32 = 3, logger: Logger = Logger(label: "embedded-kafka")) throws(KafkaError) {
        let conf = try KafkaProperties().makeConf()
        let context = HandleContext(logger: logger)
        HandleContext.install(on: conf, context: context)
        let handle = try RdKafkaHandle(type: RD_KAFKA_PRODUCER, conf: conf, opaqueOwner: context)
        guard let pointer = rd_kafka_mock_cluster_new(handle.pointer, brokers) else {
            throw .configuration("could not start librdkafka's mock cluster")
        }
        self.cluster = MockCluster(pointer: pointer, owner: handle)
        self.brokerCount = brokers
        self.bootstrapServers = String(cString: rd_kafka_mock_cluster_bootstraps(pointer))
    }

    public func createTopic(_ name: String, partitions: Int32 = 3) throws(KafkaError) {
        let code = rd_kafka_mock_topic_create(cluster.pointer, name, partitions, min(brokerCount, 3))
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: code, context: "create topic \(name)") }
    }

    /// Takes a broker down (1-based id) or brings it back, for failure tests.
    public func setBroker(_ id: Int32, up: Bool) {
        if up {
            _ = rd_kafka_mock_broker_set_up(cluster.pointer, id)
        } else {
            _ = rd_kafka_mock_broker_set_down(cluster.pointer, id)
        }
    }

    /// Kafka protocol request types whose answers can be made to fail.
    public enum RequestKind: Int16, Sendable {
        case produce = 0
        case fetch = 1
        case offsetCommit = 8
    }

    /// The next `count` requests of `kind` (from any client) are answered with `error`, for
    /// failure tests.
    public func failNextRequests(_ kind: RequestKind, count: Int, with error: KafkaError.Code) {
        let errors = [rd_kafka_resp_err_t](repeating: rd_kafka_resp_err_t(rawValue: error.rawValue), count: count)
        errors.withUnsafeBufferPointer { buffer in
            rd_kafka_mock_push_request_errors_array(cluster.pointer, kind.rawValue, buffer.count, buffer.baseAddress)
        }
    }
}
