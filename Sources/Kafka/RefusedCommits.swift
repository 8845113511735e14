/// The offsets a commit failed for, kept and committed again until one succeeds.
///
/// A group coordinator refuses commits while it rebalances (`REBALANCE_IN_PROGRESS`) and from a
/// member whose generation it no longer knows (`ILLEGAL_GENERATION`, `UNKNOWN_MEMBER_ID`).
/// librdkafka's 2.0.2 mock refuses every commit from the moment a member joins or times out
/// until every member has rejoined, so the commit a revocation or a close makes is refused:
/// without a retry the progress since the last auto-commit is processed again, or stays
/// uncommitted when the last replica stops. Kafka accepts a commit of any partition from a
/// member of the current generation, so the refused offsets are committed again once this
/// member is back in the group, and only where they are ahead of what the group has committed
/// meanwhile: a retry never moves another owner's progress back.
///
/// Pure: the consumer's poll thread owns it and carries out the commits it asks for.
struct RefusedCommits {
    /// The offsets last stored for each partition this member holds (next offset to consume).
    private var stored: [TopicPartition: Int64] = [:]
    /// Offsets a commit failed for, the highest per partition.
    private(set) var refused: [TopicPartition: Int64] = [:]

    var isEmpty: Bool { refused.isEmpty }

    mutating func didStore(_ offsets: [TopicPartition: Int64]) {
        stored.merge(offsets) { max($0, $1) }
    }

    /// A commit of the stored offsets of `partitions` ended with `error` (nil: committed).
    mutating func committedStored(of partitions: some Sequence<TopicPartition>, error: KafkaError.Code?) {
        guard error != nil else { return }
        for partition in partitions {
            if let offset = stored[partition] { refused[partition] = max(offset, refused[partition] ?? offset) }
        }
    }

    /// `partitions` left this member: their stored offsets go (a refused commit keeps its own).
    mutating func revoked(_ partitions: some Sequence<TopicPartition>) {
        for partition in partitions { stored[partition] = nil }
    }

    /// What to commit again, given the group's committed offsets (`committed`; a partition
    /// missing from it is unknown). Refused offsets the group has reached meanwhile are settled
    /// and dropped; the others are returned. Without the group's answer (nil: the query failed)
    /// nothing is: another owner may be ahead, and a commit would move its progress back.
    mutating func retry(committed: [TopicPartition: Int64]?) -> [TopicPartition: Int64] {
        guard let committed else { return [:] }
        for (partition, offset) in refused {
            if let done = committed[partition], done >= offset { refused[partition] = nil }
        }
        return refused
    }

    /// What to commit again between rebalances without asking the group: the refused offsets
    /// of partitions this member holds (nobody else can have moved them on).
    func retry(holding: Set<TopicPartition>) -> [TopicPartition: Int64] {
        refused.filter { holding.contains($0.key) }
    }

    /// A commit of `offsets` ended with `error` (nil: committed).
    mutating func retried(_ offsets: [TopicPartition: Int64], error: KafkaError.Code?) {
        guard error == nil else { return }
        for (partition, offset) in offsets where refused[partition] == offset { refused[partition] = nil }
    }
}
