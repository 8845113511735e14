import CRdKafka
import Logging
import Synchronization

/// A group consumer with a dedicated poll thread. Offsets are stored only by the owner
/// (`storeOffsets`) and committed by librdkafka's auto-commit, on revocation and on close; a
/// commit the group refused is made again once this member has rejoined (`RefusedCommits`).
///
/// All handlers run on the poll thread, one at a time.
public final class KafkaConsumer: Sendable {
    public struct Handlers: Sendable {
        /// A batch of records, in partition order.
        public var records: @Sendable ([KafkaRecord]) -> Void
        /// Partitions just added to the assignment.
        public var assigned: @Sendable ([TopicPartition]) -> Void
        /// Partitions about to be taken away: finish or abandon their work and store the offsets
        /// that are safe; they are committed right after this returns.
        public var revoking: @Sendable ([TopicPartition]) -> Void
        /// Called once per poll-loop iteration (at least every 100 ms).
        public var afterPoll: @Sendable () -> Void
        /// Errors librdkafka reports for the client as a whole (broker down, auth failure…).
        public var error: @Sendable (KafkaError) -> Void
        /// librdkafka's statistics JSON, every `statistics.interval.ms` (off unless set).
        public var stats: @Sendable ([UInt8]) -> Void = { _ in }

        public init(
            records: @escaping @Sendable ([KafkaRecord]) -> Void,
            assigned: @escaping @Sendable ([TopicPartition]) -> Void = { _ in },
            revoking: @escaping @Sendable ([TopicPartition]) -> Void = { _ in },
            afterPoll: @escaping @Sendable () -> Void = {},
            error: @escaping @Sendable (KafkaError) -> Void = { _ in },
            stats: @escaping @Sendable ([UInt8]) -> Void = { _ in }
        ) {
            self.records = records
            self.assigned = assigned
            self.revoking = revoking
            self.afterPoll = afterPoll
            self.error = error
            self.stats = stats
        }
    }

    /// Defaults for at-least-once processing; caller properties win.
    public static let defaultProperties = KafkaProperties([
        "enable.auto.commit": "true",
        "auto.commit.interval.ms": "1000",
        "enable.auto.offset.store": "false",
        "auto.offset.reset": "earliest",
        "enable.partition.eof": "false",
    ])

    /// Held unretained by librdkafka as the handle's opaque; see `RdKafkaHandle`.
    fileprivate final class Callbacks: HandleContext, @unchecked Sendable {
        let handlers: Handlers
        let assignment = Mutex<Set<TopicPartition>>([])
        /// From a revocation (or before the first assignment) until the next assignment: this
        /// member is rejoining and has no generation a commit could carry. A coordinator answers
        /// a member's requests in order, so a commit sent then waits behind its JoinGroup and
        /// arrives with the old generation; `ILLEGAL_GENERATION` makes librdkafka drop the new
        /// one, its SyncGroup fails and the whole group joins again (seen as a group that never
        /// formed while a closing leader retried its refused commits every second).
        let rejoining = Atomic<Bool>(true)
        let commits = Mutex(RefusedCommits())
        init(handlers: Handlers, logger: Logger) {
            self.handlers = handlers
            super.init(logger: logger)
        }
    }

    private let handle: RdKafkaHandle
    private let callbacks: Callbacks
    private let pollThread: PollThread
    private let closed = Mutex(CloseState.open)
    /// How long `close()` keeps serving the group for a refused final commit.
    private let finalCommitWait = Mutex(Duration.zero)
    private let batchSize: Int

    public init(
        properties: KafkaProperties, topics: [String], logger: Logger, batchSize: Int = 1000, handlers: Handlers
    ) throws(KafkaError) {
        var effective = Self.defaultProperties
        effective.merge(properties)
        guard effective["group.id"] != nil else { throw .configuration("group.id is required for a group consumer") }
        let conf = try effective.makeConf()
        let callbacks = Callbacks(handlers: handlers, logger: logger)
        HandleContext.install(on: conf, context: callbacks)
        rd_kafka_conf_set_rebalance_cb(conf) { rk, code, partitions, opaque in
            guard let rk, let opaque else { return }
            Unmanaged<Callbacks>.fromOpaque(opaque).takeUnretainedValue().rebalance(rk: rk, code: code, partitions: partitions)
        }
        rd_kafka_conf_set_error_cb(conf) { _, code, reason, opaque in
            guard let opaque else { return }
            let callbacks = Unmanaged<Callbacks>.fromOpaque(opaque).takeUnretainedValue()
            let error = KafkaError(code: rd_kafka_resp_err_t(rawValue: code), context: reason.map { String(cString: $0) })
            callbacks.handlers.error(error)
        }
        rd_kafka_conf_set_stats_cb(conf) { _, json, length, opaque in
            // Returning 0 lets librdkafka free `json`: copy it out first.
            guard let json, let opaque else { return 0 }
            let callbacks = Unmanaged<Callbacks>.fromOpaque(opaque).takeUnretainedValue()
            let bytes = json.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
            callbacks.handlers.stats(bytes)
            return 0
        }
        self.handle = try RdKafkaHandle(type: RD_KAFKA_CONSUMER, conf: conf, opaqueOwner: callbacks)
        self.callbacks = callbacks
        self.batchSize = batchSize
        self.pollThread = PollThread(name: "kafka-consumer-poll")
        rd_kafka_poll_set_consumer(handle.pointer)
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let code = rd_kafka_subscribe(handle.pointer, list)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: code, context: "subscribe") }
        pollThread.start { [self] in runLoop() }
    }

    /// The partitions currently assigned to this member.
    public var assignment: Set<TopicPartition> { callbacks.assignment.withLock { $0 } }

    /// Pauses fetching of `partitions`. librdkafka keeps a partition's pause across
    /// unassign/assign, so an owner that pauses must set every newly assigned partition's state.
    public func pause(_ partitions: some Collection<TopicPartition>) {
        guard !partitions.isEmpty else { return }
        withLiveHandle { pointer in
            withPartitionList(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) }) { _ = rd_kafka_pause_partitions(pointer, $0) }
        }
    }

    public func resume(_ partitions: some Collection<TopicPartition>) {
        guard !partitions.isEmpty else { return }
        withLiveHandle { pointer in
            withPartitionList(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) }) { _ = rd_kafka_resume_partitions(pointer, $0) }
        }
    }

    /// Makes a waiting poll return at once, so that `afterPoll` runs now (e.g. to resume fetching).
    public func wakeUp() {
        withLiveHandle { pointer in
            let queue = rd_kafka_queue_get_consumer(pointer)
            rd_kafka_queue_yield(queue)
            rd_kafka_queue_destroy(queue)
        }
    }

    /// Stores the next offset to consume for each partition; auto-commit sends them.
    @discardableResult
    public func storeOffsets(_ offsets: [TopicPartition: Int64]) -> KafkaError? {
        guard !offsets.isEmpty else { return nil }
        return withLiveHandle { pointer in
            withPartitionList(offsets.map { ($0.key, $0.value) }) { list in
                let code = rd_kafka_offsets_store(pointer, list)
                guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { return KafkaError(code: code, context: "offsets_store") }
                callbacks.commits.withLock { $0.didStore(offsets) }
                return nil
            }
        } ?? KafkaError(name: "CLOSED", message: "the consumer is closed")
    }

    /// True until `close()` destroyed the handle; calls after that do nothing.
    private let live = Mutex(true)

    /// Runs `body` with the handle unless it was destroyed; holds a lock so that `close()`
    /// cannot destroy it meanwhile (the calls inside are short and non-blocking).
    @discardableResult
    private func withLiveHandle<T>(_ body: (OpaquePointer) -> T) -> T? {
        live.withLock { isLive in isLive ? body(handle.pointer) : nil }
    }

    /// Commits the stored offsets now. Blocking: call from a thread you own.
    @discardableResult
    public func commitStored() -> KafkaError? {
        callbacks.commitStored(rk: handle.pointer)
    }

    /// Committed offsets of the group for `partitions` (next offset to consume; -1001 = none).
    /// Blocking: call from a thread you own.
    public func committed(_ partitions: [TopicPartition], timeoutMilliseconds: Int32 = 5000) throws(KafkaError) -> [TopicPartition: Int64] {
        let list = makeList(partitions.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = rd_kafka_committed(handle.pointer, list, timeoutMilliseconds)
        guard code == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: code, context: "committed") }
        return readList(list)
    }

    /// Stops the poll loop, commits stored offsets, leaves the group (serving the final
    /// revocation), destroys the handle on the poll thread and returns when that is done.
    /// A final commit the group refuses is retried while serving the group for up to
    /// `finalCommitWait` (see `RefusedCommits`). Idempotent; calls after it do nothing.
    public func close(finalCommitWait: Duration = .zero) async {
        self.finalCommitWait.withLock { $0 = finalCommitWait }
        await withCheckedContinuation { continuation in
            let first = closed.withLock { state in
                switch state {
                case .open:
                    state = .closing([continuation])
                    return true
                case .closing(let waiting):
                    state = .closing(waiting + [continuation])
                    return false
                case .closed:
                    return false
                }
            }
            if first {
                pollThread.requestStop()
            } else if closed.withLock({ if case .closed = $0 { true } else { false } }) {
                continuation.resume()
            }
        }
    }

    private enum CloseState { case open, closing([CheckedContinuation<Void, Never>]), closed }

    /// While refused commits are left (the final one, or an earlier revocation's): keeps
    /// polling (serving rebalance callbacks, dropping records: the owner has stopped) so that
    /// this member rejoins (the assignment callback commits what was refused), retries the
    /// partitions it holds every 200 ms and, every second, those other members hold where still
    /// ahead of the group, until nothing is left or `deadline`. A group mid-rebalance refuses
    /// every commit, so one attempt at leaving is not enough. While this member rejoins it only
    /// polls (see `Callbacks.rejoining`).
    private func serveGroupForRefusedCommits(until deadline: ContinuousClock.Instant) {
        var nextRetry = ContinuousClock.now
        var nextAheadOfGroup = ContinuousClock.now
        while ContinuousClock.now < deadline, !callbacks.commits.withLock({ $0.isEmpty }) {
            if !callbacks.rejoining.load(ordering: .acquiring) {
                if ContinuousClock.now >= nextRetry {
                    callbacks.commitRefused(rk: handle.pointer, mode: .held)
                    nextRetry = .now + .milliseconds(200)
                }
                if ContinuousClock.now >= nextAheadOfGroup {
                    callbacks.commitRefused(rk: handle.pointer, mode: .aheadOfGroup)
                    nextAheadOfGroup = .now + .seconds(1)
                }
            }
            if let message = rd_kafka_consumer_poll(handle.pointer, 100) { rd_kafka_message_destroy(message) }
        }
    }

    private func runLoop() {
        let queue = rd_kafka_queue_get_consumer(handle.pointer)
        var buffer = [UnsafeMutablePointer<rd_kafka_message_t>?](repeating: nil, count: batchSize)
        var topicNames: [OpaquePointer: String] = [:]
        var records: [KafkaRecord] = []
        records.reserveCapacity(batchSize)
        while !pollThread.isStopRequested {
            // Wait for one message (serving rebalance callbacks), then take what is already
            // fetched without waiting: a batch call with a timeout waits for a full batch.
            var count = 0
            if let first = rd_kafka_consumer_poll(handle.pointer, 100) {
                buffer[0] = first
                count = 1 + max(0, buffer.withUnsafeMutableBufferPointer { rd_kafka_consume_batch_queue(queue, 0, $0.baseAddress! + 1, batchSize - 1) })
            }
            if count > 0 {
                for index in 0..<count {
                    guard let message = buffer[index] else { continue }
                    defer { rd_kafka_message_destroy(message) }
                    let raw = message.pointee
                    if raw.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                        if raw.err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                            callbacks.handlers.error(KafkaError(code: raw.err, context: "consume"))
                        }
                        continue
                    }
                    guard let rkt = raw.rkt else { continue }
                    let topic: String
                    if let known = topicNames[rkt] {
                        topic = known
                    } else {
                        topic = String(cString: rd_kafka_topic_name(rkt))
                        topicNames[rkt] = topic
                    }
                    records.append(KafkaRecord(copying: message, topic: topic))
                }
                if !records.isEmpty {
                    callbacks.handlers.records(records)
                    records.removeAll(keepingCapacity: true)
                }
            }
            callbacks.handlers.afterPoll()
        }
        if let queue { rd_kafka_queue_destroy(queue) }
        let deadline = ContinuousClock.now + finalCommitWait.withLock { $0 }
        if let error = commitStored() {
            callbacks.logger.warning("Final commit failed", metadata: ["error": "\(error)"])
        }
        serveGroupForRefusedCommits(until: deadline)
        let left = callbacks.commits.withLock { $0.refused }
        if !left.isEmpty {
            callbacks.logger.warning(
                "Refused commits not made before leaving: these partitions' last offsets stay uncommitted and are processed again",
                metadata: ["partitions": "\(left.keys.map(\.description).sorted())"]
            )
        }
        let code = rd_kafka_consumer_close(handle.pointer)
        if code != RD_KAFKA_RESP_ERR_NO_ERROR {
            callbacks.logger.warning("Consumer close reported an error", metadata: ["error": "\(KafkaError(code: code))"])
        }
        live.withLock { isLive in
            isLive = false
            handle.destroy()
        }
        let waiting: [CheckedContinuation<Void, Never>] = closed.withLock { state in
            defer { state = .closed }
            if case .closing(let waiting) = state { return waiting }
            return []
        }
        for continuation in waiting { continuation.resume() }
    }

    private func withPartitionList<T>(_ entries: [(TopicPartition, Int64)], _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> T) -> T {
        let list = makeList(entries)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return body(list)
    }
}

func makeList(_ entries: [(TopicPartition, Int64)]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
    let list = rd_kafka_topic_partition_list_new(Int32(entries.count))!
    for (partition, offset) in entries {
        rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition).pointee.offset = offset
    }
    return list
}

func readList(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition: Int64] {
    var result: [TopicPartition: Int64] = [:]
    for index in 0..<Int(list.pointee.cnt) {
        let element = shim_partition_at(list, Int32(index))!.pointee
        result[TopicPartition(topic: String(cString: element.topic), partition: element.partition)] = element.offset
    }
    return result
}

extension KafkaConsumer.Callbacks {
    /// Commits the stored offsets of the assignment (blocking); a failure keeps them in
    /// `commits` for a retry.
    func commitStored(rk: OpaquePointer) -> KafkaError? {
        let code = rd_kafka_commit(rk, nil, 0)
        let failed = code != RD_KAFKA_RESP_ERR_NO_ERROR && code != RD_KAFKA_RESP_ERR__NO_OFFSET
        let held = assignment.withLock { $0 }
        commits.withLock { $0.committedStored(of: held, error: failed ? KafkaError.Code(code) : nil) }
        return failed ? KafkaError(code: code, context: "commit") : nil
    }

    /// Which refused offsets a retry commits.
    enum RetryMode {
        /// All of them: right after a rejoin (inside the assignment callback) no new owner can
        /// have moved past them yet.
        case rejoined
        /// Those of partitions this member holds.
        case held
        /// Those ahead of the group's committed offsets (asked first): when leaving, for the
        /// partitions other members hold now. Blocks for the query; not while rebalancing.
        case aheadOfGroup
    }

    /// Commits again what an earlier commit failed for (blocking).
    func commitRefused(rk: OpaquePointer, mode: RetryMode) {
        let pending = commits.withLock { $0.refused }
        guard !pending.isEmpty else { return }
        let offsets: [TopicPartition: Int64]
        switch mode {
        case .rejoined:
            offsets = pending
        case .held:
            let held = assignment.withLock { $0 }
            offsets = commits.withLock { $0.retry(holding: held) }
        case .aheadOfGroup:
            let query = makeList(pending.keys.map { ($0, Int64(RD_KAFKA_OFFSET_INVALID)) })
            defer { rd_kafka_topic_partition_list_destroy(query) }
            let committed = rd_kafka_committed(rk, query, 2000) == RD_KAFKA_RESP_ERR_NO_ERROR ? readList(query) : nil
            offsets = commits.withLock { $0.retry(committed: committed) }
        }
        guard !offsets.isEmpty else { return }
        let list = makeList(offsets.map { ($0.key, $0.value) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let code = rd_kafka_commit(rk, list, 0)
        let failed = code != RD_KAFKA_RESP_ERR_NO_ERROR
        commits.withLock { $0.retried(offsets, error: failed ? KafkaError.Code(code) : nil) }
        let metadata: Logger.Metadata = ["partitions": "\(offsets.keys.map(\.description).sorted())"]
        if failed {
            logger.debug("Commit of refused offsets failed again", metadata: metadata.merging(["error": "\(KafkaError(code: code))"]) { $1 })
        } else {
            logger.info("Committed the offsets an earlier commit was refused for", metadata: metadata)
        }
    }

    /// Runs on the poll thread, inside librdkafka's poll.
    func rebalance(rk: OpaquePointer, code: rd_kafka_resp_err_t, partitions: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?) {
        let cooperative = String(cString: rd_kafka_rebalance_protocol(rk)) == "COOPERATIVE"
        let changed = partitions.map { Array(readList($0).keys) } ?? []
        switch code {
        case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
            if cooperative {
                if let error = rd_kafka_incremental_assign(rk, partitions) {
                    logger.error("Incremental assign failed", metadata: ["error": "\(KafkaError(consuming: error))"])
                }
            } else {
                rd_kafka_assign(rk, partitions)
            }
            assignment.withLock { current in
                if !cooperative { current.removeAll() }
                current.formUnion(changed)
            }
            logger.info("Partitions assigned", metadata: ["partitions": "\(changed.map(\.description).sorted())", "protocol": "\(cooperative ? "cooperative" : "eager")"])
            rejoining.store(false, ordering: .releasing)
            commitRefused(rk: rk, mode: .rejoined)
            handlers.assigned(changed)
        case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
            logger.info("Partitions revoked", metadata: ["partitions": "\(changed.map(\.description).sorted())"])
            handlers.revoking(changed)
            defer { rejoining.store(true, ordering: .releasing) }
            if let error = commitStored(rk: rk) {
                logger.warning("Commit on revocation failed; retried once this member has rejoined", metadata: ["error": "\(error)"])
            }
            commits.withLock { $0.revoked(changed) }
            if cooperative {
                if let error = rd_kafka_incremental_unassign(rk, partitions) {
                    logger.error("Incremental unassign failed", metadata: ["error": "\(KafkaError(consuming: error))"])
                }
            } else {
                rd_kafka_assign(rk, nil)
            }
            assignment.withLock { current in
                if cooperative { current.subtract(changed) } else { current.removeAll() }
            }
        default:
            logger.warning("Rebalance error", metadata: ["error": "\(KafkaError(code: code))"])
            rejoining.store(true, ordering: .releasing)
            rd_kafka_assign(rk, nil)
            assignment.withLock { $0.removeAll() }
        }
    }
}
