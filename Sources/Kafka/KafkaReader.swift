import CRdKafka
import Logging

/// Reads whole topics from the beginning without joining a group (for replay and tests).
/// Blocking: use from a thread you own (see `runBlocking`).
public final class KafkaReader: Sendable {
    private let handle: RdKafkaHandle

    public init(bootstrapServers: String, properties: KafkaProperties = KafkaProperties(), logger: Logger = Logger(label: "kafka-reader")) throws(KafkaError) {
        var effective = KafkaProperties([
            "bootstrap.servers": bootstrapServers,
            "group.id": "ai-worker-reader",
            "enable.auto.commit": "false",
            "enable.partition.eof": "true",
            "fetch.wait.max.ms": "10",
        ])
        effective.merge(properties)
        let conf = try effective.makeConf()
        let context = HandleContext(logger: logger)
        HandleContext.install(on: conf, context: context)
        handle = try RdKafkaHandle(type: RD_KAFKA_CONSUMER, conf: conf, opaqueOwner: context)
        rd_kafka_poll_set_consumer(handle.pointer)
    }

    /// Partition count of `topic` from the cluster's metadata.
    public func partitionCount(topic: String, timeoutMilliseconds: Int32 = 5000) throws(KafkaError) -> Int32 {
        let rkt = rd_kafka_topic_new(handle.pointer, topic, nil)
        defer { rd_kafka_topic_destroy(rkt) }
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let code = rd_kafka_metadata(handle.pointer, 0, rkt, &metadata, timeoutMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else { throw KafkaError(code: code, context: "metadata \(topic)") }
        defer { rd_kafka_metadata_destroy(metadata) }
        guard metadata.pointee.topic_cnt > 0 else { return 0 }
        return metadata.pointee.topics[0].partition_cnt
    }

    /// The committed offsets of the reader's `group.id` for every partition of `topic` (the next
    /// offset to consume; negative where the group committed none), read without joining.
    public func committedOffsets(topic: String, timeoutMilliseconds: Int32 = 5000) throws(KafkaError) -> [Int32: Int64] {
        let partitions = try partitionCount(topic: topic)
        let list = makeList((0..<partitions).map { (TopicPartition(topic: topic, partition: $0), Int64(RD_KAFKA_OFFSET_INVALID)) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = rd_kafka_committed(handle.pointer, list, timeoutMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: code, context: "committed \(topic)") }
        var result: [Int32: Int64] = [:]
        for (partition, offset) in readList(list) { result[partition.partition] = offset }
        return result
    }

    /// High watermark (next offset to be written) of each partition of `topics`.
    public func endOffsets(topics: [String], timeoutMilliseconds: Int32 = 5000) throws(KafkaError) -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for topic in topics {
            for partition in 0..<(try partitionCount(topic: topic)) {
                var low: Int64 = 0
                var high: Int64 = 0
                let code = rd_kafka_query_watermark_offsets(handle.pointer, topic, partition, &low, &high, timeoutMilliseconds)
                guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: code, context: "watermarks \(topic)") }
                result[TopicPartition(topic: topic, partition: partition)] = high
            }
        }
        return result
    }

    /// Every record of `topics` up to the high watermarks seen at the start of the call.
    public func readAll(topics: [String], timeoutMilliseconds: Int = 30_000) throws(KafkaError) -> [KafkaRecord] {
        let ends = try endOffsets(topics: topics)
        var pending = Set(ends.filter { $0.value > 0 }.keys)
        guard !pending.isEmpty else { return [] }
        let list = makeList(pending.map { ($0, Int64(RD_KAFKA_OFFSET_BEGINNING)) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let assign = rd_kafka_assign(handle.pointer, list)
        guard assign == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: assign, context: "assign") }
        defer { rd_kafka_assign(handle.pointer, nil) }
        var records: [KafkaRecord] = []
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        while !pending.isEmpty {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(name: "TIMED_OUT", message: "read of \(topics) incomplete: \(pending.map(\.description).sorted())")
            }
            guard let message = rd_kafka_consumer_poll(handle.pointer, 100) else { continue }
            defer { rd_kafka_message_destroy(message) }
            let raw = message.pointee
            guard let rkt = raw.rkt else { continue }
            let partition = TopicPartition(topic: String(cString: rd_kafka_topic_name(rkt)), partition: raw.partition)
            if raw.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { if raw.offset >= ends[partition] ?? 0 { pending.remove(partition) }; continue }
            guard raw.err == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: raw.err, context: "read") }
            guard raw.offset < ends[partition] ?? 0 else { continue }
            records.append(KafkaRecord(copying: message, topic: partition.topic))
            if raw.offset + 1 >= ends[partition] ?? 0 { pending.remove(partition) }
        }
        return records
    }

    deinit { rd_kafka_consumer_close(handle.pointer) }
}
