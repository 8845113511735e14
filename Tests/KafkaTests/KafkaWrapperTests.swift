import Foundation
import Logging
import Synchronization
import Testing

@testable import Kafka

@Suite struct KafkaPropertiesTests {
    @Test func parsesPropertyLists() throws {
        let parsed = try #require(KafkaProperties.parse(list: "session.timeout.ms=6000, fetch.wait.max.ms = 10"))
        #expect(parsed["session.timeout.ms"] == "6000")
        #expect(parsed["fetch.wait.max.ms"] == "10")
        #expect(KafkaProperties.parse(list: "novalue") == nil)
        #expect(KafkaProperties.parse(list: "=x") == nil)
    }

    @Test func unknownPropertyIsANamedError() {
        #expect(throws: KafkaError.self) { _ = try KafkaProperties(["no.such.property": "1"]).makeConf() }
    }
}

@Suite(.timeLimit(.minutes(1))) struct EmbeddedKafkaTests {
    @Test func producesAndReadsBackWithKeysAndHeaders() async throws {
        let broker = try EmbeddedKafka(brokers: 3)
        try broker.createTopic("round.trip", partitions: 3)
        let reports = Mutex<[UInt: DeliveryReport]>([:])
        let delivered = AsyncStream<Void>.makeStream()
        let producer = try KafkaProducer(properties: KafkaProperties(["bootstrap.servers": broker.bootstrapServers]), logger: Logger(label: "test")) { token, result in
            if case .success(let report) = result { reports.withLock { $0[token] = report } }
            delivered.continuation.yield()
        }
        for index in 1...20 {
            let record = OutgoingRecord(
                topic: "round.trip", key: Array("key-\(index % 4)".utf8), value: Array("value-\(index)".utf8),
                headers: [KafkaHeader(name: "h", string: "\(index)"), KafkaHeader(name: "empty", value: nil)]
            )
            try producer.send(record, token: UInt(index))
        }
        var count = 0
        for await _ in delivered.stream {
            count += 1
            if count == 20 { break }
        }
        #expect(reports.withLock { $0.count } == 20)
        let records = try await runBlocking { Result { try KafkaReader(bootstrapServers: broker.bootstrapServers).readAll(topics: ["round.trip"]) } }.get()
        #expect(records.count == 20)
        for record in records {
            let index = Int(String(decoding: record.value ?? [], as: UTF8.self).dropFirst("value-".count))!
            #expect(record.key == Array("key-\(index % 4)".utf8))
            #expect(record.header("h") == Array("\(index)".utf8))
            #expect(record.headers.contains { $0.name == "empty" && $0.value == nil })
        }
        // Same key, same partition.
        let partitions = Dictionary(grouping: records, by: { $0.key! }).mapValues { Set($0.map(\.partition)) }
        #expect(partitions.values.allSatisfy { $0.count == 1 })
    }
}
