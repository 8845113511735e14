import CRdKafka

public struct TopicPartition: Hashable, Sendable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public init(topic: String, partition: Int32) {
        self.topic = topic
        self.partition = partition
    }
    public var description: String { "\(topic)[\(partition)]" }
}

public struct KafkaHeader: Sendable, Equatable {
    public var name: String
    /// `nil` for a header with a null value.
    public var value: [UInt8]?
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
    public init(name: String, string: String) {
        self.init(name: name, value: Array(string.utf8))
    }
}

/// A consumed record, copied out of librdkafka's message (which is destroyed at once).
public struct KafkaRecord: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// `nil` for a null key.
    public var key: [UInt8]?
    /// `nil` for a tombstone.
    public var value: [UInt8]?
    public var headers: [KafkaHeader]
    /// Milliseconds since the epoch, when the broker or producer set one.
    public var timestampMilliseconds: Int64?

    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?,
        headers: [KafkaHeader] = [], timestampMilliseconds: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMilliseconds = timestampMilliseconds
    }

    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    public func header(_ name: String) -> [UInt8]? {
        headers.last(where: { $0.name == name })?.value
    }

    /// Copies a message's bytes; the caller still owns and destroys `message`.
    init(copying message: UnsafeMutablePointer<rd_kafka_message_t>, topic: String) {
        let raw = message.pointee
        self.topic = topic
        self.partition = raw.partition
        self.offset = raw.offset
        self.key = raw.key.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.key_len)) }
        self.value = raw.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: raw.len)) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        self.timestampMilliseconds = timestampType == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE ? nil : timestamp
        self.headers = []
        var headerList: OpaquePointer?
        guard rd_kafka_message_headers(message, &headerList) == RD_KAFKA_RESP_ERR_NO_ERROR, let headerList else { return }
        var index = 0
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while rd_kafka_header_get_all(headerList, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
            if let name {
                let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(KafkaHeader(name: String(cString: name), value: bytes))
            }
            index += 1
        }
    }
}

/// A record to produce. The partition is chosen by librdkafka's partitioner from the key.
public struct OutgoingRecord: Sendable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]
    public init(topic: String, key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}

/// Where the broker stored a produced record.
public struct DeliveryReport: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
}
