import CRdKafka

/// An error reported by librdkafka, or by this wrapper around it.
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// librdkafka's symbolic error name (`_QUEUE_FULL`, `MSG_SIZE_TOO_LARGE`, …) or a wrapper code.
    public let name: String
    public let message: String
    public let isRetriable: Bool
    public let isFatal: Bool
    /// librdkafka's numeric code; `nil` for wrapper errors.
    public let code: Int32?

    public var description: String { "\(name): \(message)" }

    public init(name: String, message: String, isRetriable: Bool = false, isFatal: Bool = false, code: Int32? = nil) {
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
            code: code.rawValue
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
            code: rd_kafka_error_code(error).rawValue
        )
    }

    static func configuration(_ message: String) -> KafkaError {
        KafkaError(name: "CONFIGURATION", message: message)
    }

    /// librdkafka's local queue is full: wait for deliveries, then send again.
    public var isQueueFull: Bool { code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue }
}

/// librdkafka's version string, e.g. `2.0.2`.
public var librdkafkaVersion: String { String(cString: rd_kafka_version_str()) }
