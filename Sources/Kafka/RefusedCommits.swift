/// The offsets a commit failed for, kept and committed again until one succeeds.
///
/// A group coordinator refuses commits while it rebalances (`REBALANCE_IN_PROGRESS`) and from a
/// member whose generation it no longer knows (`ILLEGAL_GENERATION`, `UNKNOWN_MEMBER_ID`).
/// librdkafka's 2.0.2 mock refuses every commit from the moment a member joins or times out
/// until every member has rejoined, so the commit a revocation or a close makes is refused:
/// without a retry the progress since the last auto-commit is processed again, or stays
/// uncommitted when the last replica stops. Kafka accepts a commit of any partition from a
/// member of the current generation, so the refused offsets are committed again as soon as this
/// member is back in the group, before a new owner can have moved past them.
///
/// Pure: the consumer's poll thread owns it and carries out the commits it asks for.
struct RefusedCommits {
    /// The offsets last stored for each partition this member holds (next offset to consume).
    private var stored: [TopicPartition: Int64] = [:]
    /// Offsets a commit failed for, the highest per partition.
    private(set) var refused: [TopicPartition: Int64] = [:]
    /// The group refused a commit because it is rebalancing or forgot this member: an
    /// assignment (this member rejoined) is on its way.
    private(set) var awaitingRejoin = false

    var isEmpty: Bool { refused.isEmpty }

    /// Errors by which a coordinator refuses a commit until the member has rejoined.
    static func isGroupRefusal(_ code: KafkaError.Code) -> Bool {
        code == .rebalanceInProgress || code == .illegalGeneration || code == .unknownMemberID
    }

    mutating func didStore(_ offsets: [TopicPartition: Int64]) {
        stored.merge(offsets) { max($0, $1) }
    }

    /// A commit of the stored offsets of `partitions` ended with `error` (nil: committed).
    mutating func committedStored(of partitions: some Sequence<TopicPartition>, error: KafkaError.Code?) {
        guard let error else { return }
        for partition in partitions {
            if let offset = stored[partition] { refused[partition] = max(offset, refused[partition] ?? offset) }
        }
        if Self.isGroupRefusal(error) { awaitingRejoin = true }
    }

    /// `partitions` left this member: their stored offsets go (a refused commit keeps its own).
    mutating func revoked(_ partitions: some Sequence<TopicPartition>) {
        for partition in partitions { stored[partition] = nil }
    }

    /// This member rejoined the group (an assignment arrived): commit every refused offset now,
    /// before a new owner can have moved past them.
    mutating func rejoined() -> [TopicPartition: Int64] {
        awaitingRejoin = false
        return refused
    }

    /// What to commit again between rebalances: only the refused offsets of partitions this
    /// member holds, so that a retry never moves another owner's progress back.
    func retry(holding: Set<TopicPartition>) -> [TopicPartition: Int64] {
        refused.filter { holding.contains($0.key) }
    }

    /// A commit of `offsets` ended with `error` (nil: committed).
    mutating func retried(_ offsets: [TopicPartition: Int64], error: KafkaError.Code?) {
        guard let error else {
            for (partition, offset) in offsets where refused[partition] == offset { refused[partition] = nil }
            return
        }
        if Self.isGroupRefusal(error) { awaitingRejoin = true }
    }

    /// Whether a closing member should keep serving the group for a later commit: refused
    /// offsets of partitions it holds, or any refused offset while a rejoin is on its way.
    func worthWaiting(holding: Set<TopicPartition>) -> Bool {
        !retry(holding: holding).isEmpty || (awaitingRejoin && !refused.isEmpty)
    }
}
