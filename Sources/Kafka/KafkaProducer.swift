import CRdKafka
import Logging
import Synchronization

/// An idempotent librdkafka producer with a dedicated poll thread serving delivery reports.
///
/// `send` never blocks; its outcome arrives later through `onDelivery`, on the poll thread, with
/// the token given to `send`. Tokens are caller-chosen non-zero integers. Client-wide errors
/// (a broker down, or a fatal idempotence error after which nothing can be produced) arrive
/// through `onError`, also on the poll thread.
public final class KafkaProducer: Sendable {
    public typealias DeliveryHandler = @Sendable (_ token: UInt, _ result: Result<DeliveryReport, KafkaError>) -> Void
    public typealias ErrorHandler = @Sendable (KafkaError) -> Void

    /// Lives as long as the producer; librdkafka holds it unretained as the handle's opaque.
    private final class Callbacks: HandleContext, @unchecked Sendable {
        let onDelivery: DeliveryHandler
        let onError: ErrorHandler
        init(logger: Logger, onDelivery: @escaping DeliveryHandler, onError: @escaping ErrorHandler) {
            self.onDelivery = onDelivery
            self.onError = onError
            super.init(logger: logger)
        }
    }

    /// Defaults for a durable, ordered producer; caller properties win.
    public static let defaultProperties = KafkaProperties([
        "enable.idempotence": "true",
        "acks": "all",
        "compression.type": "lz4",
        "linger.ms": "1",
        "queue.buffering.max.messages": "500000",
    ])

    private let handle: RdKafkaHandle
    private let pollThread: PollThread
    private let logger: Logger

    public init(
        properties: KafkaProperties, logger: Logger, onError: @escaping ErrorHandler = { _ in }, onDelivery: @escaping DeliveryHandler
    ) throws(KafkaError) {
        var effective = Self.defaultProperties
        effective.merge(properties)
        let conf = try effective.makeConf()
        let callbacks = Callbacks(logger: logger, onDelivery: onDelivery, onError: onError)
        HandleContext.install(on: conf, context: callbacks)
        rd_kafka_conf_set_error_cb(conf) { rk, code, reason, opaque in
            guard let opaque else { return }
            let callbacks = Unmanaged<Callbacks>.fromOpaque(opaque).takeUnretainedValue()
            var error = KafkaError(code: rd_kafka_resp_err_t(rawValue: code), context: reason.map { String(cString: $0) })
            if let rk, error.code == .fatal {
                // `_FATAL` only says that there is one; the underlying error names the cause.
                var text = [CChar](repeating: 0, count: 512)
                let underlying = rd_kafka_fatal_error(rk, &text, text.count)
                let detail = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                error = KafkaError(
                    name: String(cString: rd_kafka_err2name(underlying)), message: detail, isFatal: true, code: KafkaError.Code(underlying)
                )
            }
            callbacks.onError(error)
        }
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
            guard let message, let opaque else { return }
            let callbacks = Unmanaged<Callbacks>.fromOpaque(opaque).takeUnretainedValue()
            let token = UInt(bitPattern: message.pointee._private)
            let raw = message.pointee
            if raw.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                let topic = String(cString: rd_kafka_topic_name(raw.rkt))
                callbacks.onDelivery(token, .success(DeliveryReport(topic: topic, partition: raw.partition, offset: raw.offset)))
            } else {
                callbacks.onDelivery(token, .failure(KafkaError(code: raw.err, context: "delivery")))
            }
        }
        self.handle = try RdKafkaHandle(type: RD_KAFKA_PRODUCER, conf: conf, opaqueOwner: callbacks)
        self.logger = logger
        self.pollThread = PollThread(name: "kafka-producer-poll")
        let handle = self.handle
        let thread = self.pollThread
        pollThread.start {
            while !thread.isStopRequested {
                rd_kafka_poll(handle.pointer, 100)
            }
        }
    }

    /// Enqueues a record. Throws `_QUEUE_FULL` (retriable) when librdkafka's queue is full, and
    /// the error librdkafka returns when the record cannot be produced at all (too large, an
    /// unknown topic, a fatal producer state).
    public func send(_ record: OutgoingRecord, token: UInt) throws(KafkaError) {
        precondition(token != 0, "delivery tokens are non-zero")
        guard !isClosed else { throw KafkaError(name: "CLOSED", message: "the producer is closed") }
        let headers = makeHeaders(record.headers)
        let error: OpaquePointer? = record.value.withUnsafeBytes { value in
            let opaque = UnsafeMutableRawPointer(bitPattern: token)
            if let key = record.key {
                return key.withUnsafeBytes { key in
                    shim_produce(
                        handle.pointer, record.topic, RD_KAFKA_PARTITION_UA, key.baseAddress ?? UnsafeRawPointer(value.baseAddress),
                        key.count, value.baseAddress, value.count, headers, opaque
                    )
                }
            }
            return shim_produce(handle.pointer, record.topic, RD_KAFKA_PARTITION_UA, nil, 0, value.baseAddress, value.count, headers, opaque)
        }
        if let error {
            if let headers { rd_kafka_headers_destroy(headers) }
            throw KafkaError(consuming: error)
        }
    }

    /// Enqueues a record with a null value (a tombstone).
    public func sendTombstone(topic: String, key: [UInt8]?, headers: [KafkaHeader] = [], token: UInt) throws(KafkaError) {
        let list = makeHeaders(headers)
        let error: OpaquePointer? = key.withUnsafeBufferPointerOrNil { key in
            shim_produce(handle.pointer, topic, RD_KAFKA_PARTITION_UA, key?.baseAddress, key?.count ?? 0, nil, 0, list, UnsafeMutableRawPointer(bitPattern: token))
        }
        if let error {
            if let list { rd_kafka_headers_destroy(list) }
            throw KafkaError(consuming: error)
        }
    }

    private func makeHeaders(_ headers: [KafkaHeader]) -> OpaquePointer? {
        guard !headers.isEmpty else { return nil }
        let list = rd_kafka_headers_new(headers.count)
        for header in headers {
            if let value = header.value {
                value.withUnsafeBytes { _ = rd_kafka_header_add(list, header.name, -1, $0.baseAddress, $0.count) }
            } else {
                _ = rd_kafka_header_add(list, header.name, -1, nil, 0)
            }
        }
        return list
    }

    /// Raises a fatal producer error as a broker could (librdkafka's `rd_kafka_test_fatal_error`,
    /// reported through `onError` and failing every later `send`): for failure-path tests.
    public func raiseFatalErrorForTesting(reason: String) {
        guard !isClosed else { return }
        _ = rd_kafka_test_fatal_error(handle.pointer, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, reason)
    }

    /// Messages not yet delivered (queued or in flight).
    public var outstandingCount: Int { isClosed ? 0 : Int(rd_kafka_outq_len(handle.pointer)) }

    /// Blocks until every queued message is delivered or failed, or the timeout passes.
    /// Call from a thread you own (see `runBlocking`).
    public func flush(timeoutMilliseconds: Int32) -> KafkaError? {
        guard !isClosed else { return KafkaError(name: "CLOSED", message: "the producer is closed") }
        let code = rd_kafka_flush(handle.pointer, timeoutMilliseconds)
        return code == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(code: code, context: "flush")
    }

    private let closed = Atomic<Bool>(false)
    private var isClosed: Bool { closed.load(ordering: .acquiring) }

    /// Stops the poll thread and destroys the librdkafka handle on a thread of its own (both
    /// block); undelivered messages are dropped, so `flush` first. Idempotent; no other call
    /// may follow it.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = pollThread
        let handle = self.handle
        await runBlocking {
            thread.requestStop()
            thread.join()
            handle.destroy()
        }
    }

    deinit {
        if !closed.exchange(true, ordering: .acquiringAndReleasing) {
            pollThread.requestStop()
            pollThread.join()
        }
    }
}

/// Owns an `rd_kafka_t`; destroys it exactly once. `opaqueOwner` is the object whose unretained
/// pointer the handle's callbacks receive: it is released only after `rd_kafka_destroy`
/// returned, so no callback can outlive it.
final class RdKafkaHandle: @unchecked Sendable {
    // rd_kafka_t is thread-safe; this wrapper only owns its lifetime.
    let pointer: OpaquePointer
    private let opaqueOwner: HandleContext?

    init(type: rd_kafka_type_t, conf: OpaquePointer, opaqueOwner: HandleContext?) throws(KafkaError) {
        self.opaqueOwner = opaqueOwner
        var errorText = [CChar](repeating: 0, count: 512)
        guard let pointer = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            let text = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw .configuration(text)
        }
        self.pointer = pointer
    }

    private let destroyed = Atomic<Bool>(false)

    /// Destroys the handle now (blocking: librdkafka joins its threads); idempotent.
    func destroy() {
        guard !destroyed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        rd_kafka_destroy(pointer)
    }

    deinit { destroy() }
}

extension Optional where Wrapped == [UInt8] {
    fileprivate func withUnsafeBufferPointerOrNil<T>(_ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        guard let self else { return body(nil) }
        return self.withUnsafeBufferPointer { body($0) }
    }
}
