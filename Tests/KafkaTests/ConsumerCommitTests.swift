import Foundation
import Logging
import Synchronization
import Testing

@testable import Kafka

/// Commits the group refuses (librdkafka's mock refuses every commit while a rebalance is under
/// way) are made again, on the embedded broker.
@Suite(.timeLimit(.minutes(2))) struct ConsumerCommitTests {
    static let topic = "commits"
    static let partitions = (0..<Int32(3)).map { TopicPartition(topic: topic, partition: $0) }

    func member(_ broker: EmbeddedKafka, group: String, revoking: @escaping @Sendable ([TopicPartition]) -> Void = { _ in }) throws -> KafkaConsumer {
        let properties = KafkaProperties([
            "bootstrap.servers": broker.bootstrapServers, "group.id": group,
            "session.timeout.ms": "6000", "heartbeat.interval.ms": "500", "fetch.wait.max.ms": "10",
            // Nothing reaches the group by auto-commit during a test: only the commits under test.
            "auto.commit.interval.ms": "60000",
        ])
        return try KafkaConsumer(properties: properties, topics: [Self.topic], logger: Logger(label: "test"), handlers: .init(records: { _ in }, revoking: revoking))
    }

    func committed(_ broker: EmbeddedKafka, group: String) async throws -> [Int32: Int64] {
        let reader = try KafkaReader(bootstrapServers: broker.bootstrapServers, properties: KafkaProperties(["group.id": group]))
        return try await runBlocking { Result { try reader.committedOffsets(topic: Self.topic) } }.get()
    }

    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(40)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw KafkaError(name: "TEST", message: "timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The commit a revocation makes is refused (the group waits for this member to rejoin); it
    /// is made right after the member rejoined. It was lost before.
    @Test func aCommitRefusedDuringARebalanceIsMadeOnceTheMemberRejoined() async throws {
        let broker = try EmbeddedKafka(brokers: 3)
        try broker.createTopic(Self.topic, partitions: 3)
        let group = "g-\(UUID().uuidString)"
        let first = try member(broker, group: group)
        try await eventually("the first member's assignment") { first.assignment.count == 3 }
        #expect(first.storeOffsets(Dictionary(uniqueKeysWithValues: Self.partitions.map { ($0, 5) })) == nil)
        let second = try member(broker, group: group)
        try await eventually("both members' assignments") { !first.assignment.isEmpty && !second.assignment.isEmpty }
        try await eventually("the refused offsets committed") {
            try await committed(broker, group: group) == [0: 5, 1: 5, 2: 5]
        }
        await second.close()
        await first.close()
    }

    /// The final commit of a closing member is refused; the member keeps serving the group and
    /// commits before it leaves. It was lost before.
    @Test func aRefusedFinalCommitIsMadeBeforeTheMemberLeaves() async throws {
        let broker = try EmbeddedKafka(brokers: 3)
        try broker.createTopic(Self.topic, partitions: 3)
        let group = "g-\(UUID().uuidString)"
        let consumer = try member(broker, group: group)
        try await eventually("the assignment") { consumer.assignment.count == 3 }
        #expect(consumer.storeOffsets(Dictionary(uniqueKeysWithValues: Self.partitions.map { ($0, 7) })) == nil)
        // More refusals than a close makes commits (its own, the revocation's, librdkafka's
        // auto-commit on unassign): only a retry after them commits.
        broker.failNextRequests(.offsetCommit, count: 5, with: .rebalanceInProgress)
        await consumer.close(finalCommitWait: .seconds(10))
        #expect(try await committed(broker, group: group) == [0: 7, 1: 7, 2: 7])
    }

    /// A revocation's commit and its retry after the rejoin are refused; the member's own final
    /// commit then has nothing to commit. Before, one attempt was made at leaving, refused too
    /// while the group was still rebalancing, and the offsets were lost (a chaos `commit-lag`).
    @Test func aRevocationsRefusedOffsetsAreMadeBeforeLeavingWhenTheFinalCommitHasNothingLeft() async throws {
        let broker = try EmbeddedKafka(brokers: 3)
        try broker.createTopic(Self.topic, partitions: 3)
        let group = "g-\(UUID().uuidString)"
        let first = try member(broker, group: group)
        try await eventually("the first member's assignment") { first.assignment.count == 3 }
        #expect(first.storeOffsets(Dictionary(uniqueKeysWithValues: Self.partitions.map { ($0, 9) })) == nil)
        // More refusals than the commits made before the close (the revocation's, librdkafka's
        // on unassign, the retry after the rejoin) plus the one attempt made at leaving.
        broker.failNextRequests(.offsetCommit, count: 8, with: .rebalanceInProgress)
        let second = try member(broker, group: group)
        try await eventually("both members' assignments") { !first.assignment.isEmpty && !second.assignment.isEmpty }
        await first.close(finalCommitWait: .seconds(15))
        #expect(try await committed(broker, group: group) == [0: 9, 1: 9, 2: 9])
        await second.close()
    }

    /// A member closes while it rejoins a group that waits for a slow member, with its
    /// revocation's commit refused. Before, its retries went out behind its own JoinGroup, came
    /// back `ILLEGAL_GENERATION` and broke every generation it led: the group never formed while
    /// it served, and it left at the deadline with the offsets uncommitted (a chaos
    /// `commit-lag` after a kill9 storm).
    @Test func aClosingMemberLetsTheGroupFormWhileItRejoins() async throws {
        let broker = try EmbeddedKafka(brokers: 3)
        try broker.createTopic(Self.topic, partitions: 3)
        let group = "g-\(UUID().uuidString)"
        let first = try member(broker, group: group)
        try await eventually("the first member's assignment") { first.assignment.count == 3 }
        // The slow member takes 4 s to give its partitions back (the mock waits 5 s for it).
        let slowRevocations = Atomic<Bool>(false)
        let slow = try member(broker, group: group) { partitions in
            if !partitions.isEmpty, slowRevocations.load(ordering: .relaxed) { Thread.sleep(forTimeInterval: 4) }
        }
        try await eventually("both members' assignments") { !first.assignment.isEmpty && !slow.assignment.isEmpty }
        let held = first.assignment
        #expect(first.storeOffsets(Dictionary(uniqueKeysWithValues: held.map { ($0, 9) })) == nil)
        slowRevocations.store(true, ordering: .relaxed)
        let third = try member(broker, group: group)
        try await eventually("the first member's revocation") { first.assignment.isEmpty }
        let closing = ContinuousClock.now
        await first.close(finalCommitWait: .seconds(15))
        let closedAfter = ContinuousClock.now - closing
        let committed = try await committed(broker, group: group)
        #expect(held.allSatisfy { committed[$0.partition] == 9 }, "committed \(committed), held \(held)")
        #expect(closedAfter < .seconds(12), "closed after \(closedAfter): the group formed before the deadline")
        slowRevocations.store(false, ordering: .relaxed)
        await third.close()
        await slow.close()
    }
}
