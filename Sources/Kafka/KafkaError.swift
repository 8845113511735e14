import CRdKafka

/// An error reported by librdkafka, or by this wrapper around it.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// librdkafka's symbolic error name (`_QUEUE_FULL`, `MSG_SIZE_TOO_LARGE`, …) or a wrapper code.
    public let name: String
    public let message: String
    public let isRetriable: Bool
    public let isFatal: Bool
    /// librdkafka's numeric code; `nil` for wrapper errors.
    public let code: Code?

    public var description: String { "\(name): \(message)" }

    public init(name: String, message: String, isRetriable: Bool = false, isFatal: Bool = false, code: Code? = nil) {
        self.name = name
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
        self.code = code
    }

    init(code: rd_kafka_resp_err_t, context: String? = nil) {
        let text = String(cString: rd_kafka_err2str(code))
        self.init(
            name: String(cString: rd_kafka_err2name(code)),
            message: context.map { "\($0): \(text)" } ?? text,
            isFatal: code == RD_KAFKA_RESP_ERR__FATAL,
            code: Code(code)
        )
    }

    /// Reads everything from an `rd_kafka_error_t` and destroys it.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self.init(
            name: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error)),
            isRetriable: rd_kafka_error_is_retriable(error) != 0,
            isFatal: rd_kafka_error_is_fatal(error) != 0,
            code: Code(rd_kafka_error_code(error))
        )
    }

    static func configuration(_ message: String) -> KafkaError {
        KafkaError(name: "CONFIGURATION", message: message)
    }

    /// librdkafka's local queue is full: wait for deliveries, then send again.
    public var isQueueFull: Bool { code == .queueFull }

    /// librdkafka's error code (`rd_kafka_resp_err_t`), matched by the named constants below
    /// rather than by name strings.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        init(_ code: rd_kafka_resp_err_t) { rawValue = code.rawValue }

        public var description: String { String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue))) }

        public static let queueFull = Code(RD_KAFKA_RESP_ERR__QUEUE_FULL)
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        public static let allBrokersDown = Code(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
        public static let authentication = Code(RD_KAFKA_RESP_ERR__AUTHENTICATION)
        public static let ssl = Code(RD_KAFKA_RESP_ERR__SSL)
        public static let resolve = Code(RD_KAFKA_RESP_ERR__RESOLVE)
        public static let state = Code(RD_KAFKA_RESP_ERR__STATE)
        public static let unknownTopic = Code(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)
        public static let unknownPartition = Code(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        public static let messageSizeTooLarge = Code(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)
        public static let invalidRecord = Code(RD_KAFKA_RESP_ERR_INVALID_RECORD)
        public static let recordListTooLarge = Code(RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE)
        public static let topicAuthorizationFailed = Code(RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED)
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        public static let requestTimedOut = Code(RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT)
        public static let notEnoughReplicas = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)
        public static let notEnoughReplicasAfterAppend = Code(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND)
        public static let leaderNotAvailable = Code(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)
        public static let notLeaderForPartition = Code(RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION)
        public static let networkException = Code(RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION)
        public static let rebalanceInProgress = Code(RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS)
        public static let purgedInFlight = Code(RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
        public static let purgedQueue = Code(RD_KAFKA_RESP_ERR__PURGE_QUEUE)
    }
}

/// librdkafka's version string, e.g. `2.0.2`.
public var librdkafkaVersion: String { String(cString: rd_kafka_version_str()) }
