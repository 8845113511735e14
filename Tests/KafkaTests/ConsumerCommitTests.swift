import Foundation
import Logging
import Testing

@testable import Kafka

/// Commits the group refuses (librdkafka's mock refuses every commit while a rebalance is under
/// way) are made again, on the embedded broker.
@Suite(.timeLimit(.minutes(2))) struct ConsumerCommitTests {
    static let topic = "commits"
    static let partitions = (0..<Int32(3)).map { TopicPartition(topic: topic, partition: $0) }

    func member(_ broker: EmbeddedKafka, group: String) throws -> KafkaConsumer {
        let properties = KafkaProperties([
            "bootstrap.servers": broker.bootstrapServers, "group.id": group,
            "session.timeout.ms": "6000", "heartbeat.interval.ms": "500", "fetch.wait.max.ms": "10",
            // Nothing reaches the group by auto-commit during a test: only the commits under test.
            "auto.commit.interval.ms": "60000",
        ])
        return try KafkaConsumer(properties: properties, topics: [Self.topic], logger: Logger(label: "test"), handlers: .init(records: { _ in }))
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
}
