import Testing

@testable import Events

@Suite struct EventDecoderTests {
    let decoder = EventDecoder(maxEventBytes: 2048)

    func decode(_ text: String, kind: InputKind = .leadMessage) -> Result<InputEvent, EventError> {
        decoder.decode(Array(text.utf8), kind: kind, topic: kind.rawValue)
    }

    func envelope(_ payload: String, type: String = "lead.message", id: String = "e1", timestamp: String = "2025-10-25T10:30:00Z") -> String {
        #"{"event_id": "\#(id)", "event_type": "\#(type)", "timestamp": "\#(timestamp)", "payload": \#(payload), "extra": 1}"#
    }

    @Test func decodesValidMessage() throws {
        let event = try decode(envelope(#"{"lead_id": "L1", "business_id": "B1", "message_text": "hi", "metadata": {"timezone": "Mars/Base", "currency": "usd"}}"#)).get()
        #expect(event.leadID == "L1")
        #expect(event.text == "hi")
        #expect(event.direction == .inbound)
        #expect(event.metadata.timezone == nil, "unknown time zone falls back to the default")
        #expect(event.metadata.currency == "USD")
    }

    @Test(arguments: [
        (#"{"lead_id": 5, "business_id": "B1", "message_text": "hi"}"#, "payload.lead_id must be a string"),
        (#"{"business_id": "B1", "message_text": "hi"}"#, "missing required field payload.lead_id"),
        (#"{"lead_id": "L1", "business_id": "B1", "message_text": 2}"#, "payload.message_text must be a string"),
        (#"{"lead_id": "L1", "business_id": "B1", "message_text": "x", "direction": "sideways"}"#, "direction must be inbound or outbound"),
        (#"[]"#, "payload must be an object"),
    ])
    func rejectsInvalidPayloads(_ payload: String, _ reason: String) {
        guard case .failure(let error) = decode(envelope(payload)) else {
            Issue.record("expected a validation error")
            return
        }
        #expect(error.code == .validationFailed)
        #expect(error.message.contains(reason), "\(error.message)")
        #expect(error.known.eventID == "e1")
    }

    @Test func keepsLeadIDForLaterErrors() {
        guard case .failure(let error) = decode(envelope(#"{"lead_id": "L1", "business_id": "B1", "message_text": 3}"#)) else { return #expect(Bool(false)) }
        #expect(error.known.leadID == "L1")
        #expect(error.known.businessID == "B1")
    }

    @Test func validatesEnvelope() {
        let payload = #"{"lead_id": "L1", "business_id": "B1", "message_text": "x"}"#
        for (text, reason) in [
            (envelope(payload, type: "lead.created"), "does not match the topic"),
            (envelope(payload, timestamp: "2025-10-25 10:30"), "RFC 3339"),
            (envelope(payload, timestamp: "2025-10-25T10:30:00"), "RFC 3339"),
            (envelope(payload, id: String(repeating: "a", count: 200)), "longer than 128"),
            (envelope(payload, id: ""), "must not be empty"),
        ] {
            guard case .failure(let error) = decode(text) else { Issue.record("accepted: \(text)"); continue }
            #expect(error.code == .validationFailed)
            #expect(error.message.contains(reason), "\(error.message)")
        }
    }

    @Test func errorCodesForBytes() {
        func code(_ bytes: [UInt8]?) -> EventError.Code? {
            if case .failure(let error) = decoder.decode(bytes, kind: .leadMessage, topic: "lead.message") { return error.code }
            return nil
        }
        #expect(code(nil) == .validationFailed)
        #expect(code([]) == .validationFailed)
        #expect(code(Array("not json".utf8)) == .invalidJSON)
        #expect(code([0x7B, 0xC3, 0x28, 0x7D]) == .invalidJSON)
        #expect(code(Array(repeating: 0x20, count: 4096)) == .payloadTooLarge)
    }

    @Test func readsProcessRequestOptions() throws {
        let text = envelope(
            #"{"lead_id": "L1", "business_id": "B1", "text": "x", "tasks": ["intent"], "options": {"force_llm": true}, "context": {"history": [{"direction": "outbound", "text": "hello"}], "catalog": ["Sofa"]}}"#,
            type: "ai.process.request")
        let event = try decode(text, kind: .processRequest).get()
        #expect(event.tasks == [.intent])
        #expect(event.forceLLM)
        #expect(!event.skipCache)
        #expect(event.history == [ConversationTurn(direction: .outbound, text: "hello")])
        #expect(event.catalog == ["Sofa"])
    }

    @Test func rejectsBadTasksAndOptions() {
        for payload in [
            #"{"lead_id": "L1", "business_id": "B1", "text": "x", "tasks": []}"#,
            #"{"lead_id": "L1", "business_id": "B1", "text": "x", "tasks": ["translate"]}"#,
            #"{"lead_id": "L1", "business_id": "B1", "text": "x", "options": {"force_llm": "true"}}"#,
        ] {
            guard case .failure(let error) = decode(envelope(payload, type: "ai.process.request"), kind: .processRequest) else {
                Issue.record("accepted \(payload)")
                continue
            }
            #expect(error.code == .validationFailed)
        }
    }
}
