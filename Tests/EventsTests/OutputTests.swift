import Foundation
import Testing

@testable import Events

@Suite struct OutputTests {
    @Test func timestampRoundTrips() throws {
        let parsed = try #require(Timestamp(rfc3339: "2025-10-25T16:00:00.250+05:30"))
        #expect(parsed.date.timeIntervalSince1970 == 1_761_388_200.25)
        #expect(parsed.rfc3339 == "2025-10-25T16:00:00.250+05:30")
        #expect(Timestamp(date: Date(timeIntervalSince1970: 0)).rfc3339 == "1970-01-01T00:00:00Z")
        #expect(Timestamp(rfc3339: "2025-02-29T00:00:00Z") == nil)
        #expect(Timestamp(rfc3339: "2024-02-29T00:00:00Z") != nil)
        let negative = try #require(Timestamp(rfc3339: "2013-02-12T04:30:00-02:00"))
        #expect(negative.date.timeIntervalSince1970 == 1_360_650_600 && negative.utcOffsetSeconds == -7200)
        #expect(Timestamp(rfc3339: "2025-10-25T16:00:00.5+05:30")?.date.timeIntervalSince1970 == 1_761_388_200.5)
        for bad in ["2025-10-25T10:30:00", "2025-13-01T00:00:00Z", "2025-10-25", "x", "2025-10-25T10:30:00+0530", "2025-10-25T25:00:00Z"] {
            #expect(Timestamp(rfc3339: bad) == nil, "\(bad)")
        }
    }

    @Test func traceparentIsValidated() {
        #expect(TraceContext(traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(TraceContext(traceparent: "00-00000000000000000000000000000000-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01") == nil)
        #expect(TraceContext(traceparent: "garbage") == nil)
    }

    @Test func errorRawKeepsTextOrBase64() throws {
        let position = SourcePosition(topic: "lead.message", partition: 1, offset: 7)
        func payload(_ raw: [UInt8]?, max: Int) throws -> JSONValue? {
            let event = ErrorEvent(eventID: "x", timestamp: Timestamp(date: Date()), error: EventError(.invalidJSON, "bad"), position: position, raw: raw, rawMaxBytes: max)
            return try JSONParser.parse(event.jsonString)["payload"]
        }
        let text = try payload(Array("héllo".utf8), max: 2)
        #expect(text?["raw"] == .string("h"), "cut at a character boundary")
        #expect(text?["raw_truncated"] == .bool(true))
        let binary = try payload([0xFF, 0x00, 0x41], max: 10)
        #expect(binary?["raw"] == .string("/wBB"))
        #expect(binary?["raw_encoding"] == .string("base64"))
        let tombstone = try payload(nil, max: 10)
        #expect(tombstone?["raw"] == .null)
        #expect(tombstone?["source_event_id"] == .null)
        #expect(tombstone?["source_offset"] == .number(7))
    }
}

@Suite struct OutputIdentityTests {
    @Test func theSameInputGetsTheSameIDAndAnyChangeAnother() {
        let id = OutputIdentity.eventID(topic: "lead.message", partition: 2, offset: 41, sourceEventID: "e-1")
        #expect(id == OutputIdentity.eventID(topic: "lead.message", partition: 2, offset: 41, sourceEventID: "e-1"))
        let others = [
            OutputIdentity.eventID(topic: "lead.created", partition: 2, offset: 41, sourceEventID: "e-1"),
            OutputIdentity.eventID(topic: "lead.message", partition: 1, offset: 41, sourceEventID: "e-1"),
            OutputIdentity.eventID(topic: "lead.message", partition: 2, offset: 42, sourceEventID: "e-1"),
            OutputIdentity.eventID(topic: "lead.message", partition: 2, offset: 41, sourceEventID: "e-2"),
            OutputIdentity.eventID(topic: "lead.message", partition: 2, offset: 41, sourceEventID: nil),
            OutputIdentity.eventID(topic: "lead.message", partition: 24, offset: 1, sourceEventID: "e-1"),
        ]
        #expect(Set(others + [id]).count == others.count + 1)
    }

    @Test func isAVersion8RFC9562UUID() {
        let id = OutputIdentity.eventID(topic: "t", partition: 0, offset: 0, sourceEventID: "x")
        let parts = id.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(Array(id)[14] == "8", "version 8")
        #expect("89ab".contains(Array(id)[19]), "RFC 9562 variant")
        #expect(id == id.lowercased())
    }
}

@Suite struct EntityBoundsTests {
    @Test func duplicatesAreDroppedAndListsCapped() {
        var entities = Entities()
        entities.quantities = (0..<5000).map { Quantity(value: Double($0 % 40)) }
        entities.phones = ["+919876543210", "+919876543210", "+14155550100"]
        entities.products = [String(repeating: "x", count: 5000)]
        #expect(!entities.isBounded)
        let bounded = entities.bounded()
        #expect(bounded.quantities.count == EntityBounds.perList)
        #expect(bounded.quantities.map(\.value) == (0..<20).map(Double.init), "first occurrences, in order")
        #expect(bounded.phones == ["+919876543210", "+14155550100"])
        #expect(bounded.products[0].count == EntityBounds.textCharacters)
        #expect(bounded.isBounded)
        var writer = JSONWriter(capacity: 64)
        entities.write(to: &writer)
        #expect(writer.bytes.count < 4096, "the written form is the bounded one")
    }

    @Test func boundedEntitiesAreWrittenUnchanged() {
        var entities = Entities()
        entities.phones = ["+919876543210"]
        #expect(entities.isBounded)
        #expect(entities.bounded() == entities)
    }
}
