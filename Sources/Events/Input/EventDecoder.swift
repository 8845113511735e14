import Foundation

/// Turns the bytes of a Kafka record into a validated `InputEvent`, or the one `EventError`
/// that its `ai.error` reports. Strict: no type coercion; unknown fields are ignored.
public struct EventDecoder: Sendable {
    public var maxEventBytes: Int

    public init(maxEventBytes: Int = 262_144) {
        self.maxEventBytes = maxEventBytes
    }

    public func decode(_ value: [UInt8]?, kind: InputKind, topic: String) -> Result<InputEvent, EventError> {
        guard let value else { return .failure(EventError(.validationFailed, "record has a null value (tombstone)")) }
        guard !value.isEmpty else { return .failure(EventError(.validationFailed, "record value is empty")) }
        guard value.count <= maxEventBytes else {
            return .failure(EventError(.payloadTooLarge, "event is \(value.count) bytes; the limit (MAX_EVENT_BYTES) is \(maxEventBytes)"))
        }
        let document: JSONValue
        do {
            document = try JSONParser.parse(value)
        } catch {
            let utf8Valid = String(validating: value, as: UTF8.self) != nil
            return .failure(EventError(.invalidJSON, utf8Valid ? "value is not valid JSON: \(error)" : "value is not valid UTF-8"))
        }
        var reader = FieldReader(known: KnownIdentifiers())
        do {
            return .success(try reader.readEvent(document, kind: kind, topic: topic))
        } catch {
            return .failure(error)
        }
    }
}

/// Reads typed fields, remembering identifiers as soon as they are known.
private struct FieldReader {
    var known: KnownIdentifiers

    func fail(_ message: String) -> EventError {
        EventError(.validationFailed, message, known: known)
    }

    func requiredString(_ object: JSONObject, _ key: String, path: String) throws(EventError) -> String {
        guard let value = object[key] else { throw fail("missing required field \(path)\(key)") }
        guard case .string(let text) = value else { throw fail("field \(path)\(key) must be a string, got \(value.typeName)") }
        return text
    }

    func requiredID(_ object: JSONObject, _ key: String, path: String) throws(EventError) -> String {
        let text = try requiredString(object, key, path: path)
        guard !text.isEmpty else { throw fail("field \(path)\(key) must not be empty") }
        guard text.utf8.count <= 128 else { throw fail("field \(path)\(key) is longer than 128 characters") }
        return text
    }

    func optionalString(_ object: JSONObject, _ key: String, path: String) throws(EventError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw fail("field \(path)\(key) must be a string, got \(value.typeName)") }
        return text
    }

    func optionalObject(_ object: JSONObject, _ key: String, path: String) throws(EventError) -> JSONObject? {
        guard let value = object[key], value != .null else { return nil }
        guard case .object(let inner) = value else { throw fail("field \(path)\(key) must be an object, got \(value.typeName)") }
        return inner
    }

    func optionalBool(_ object: JSONObject, _ key: String, path: String) throws(EventError) -> Bool {
        guard let value = object[key], value != .null else { return false }
        guard case .bool(let flag) = value else { throw fail("field \(path)\(key) must be a boolean, got \(value.typeName)") }
        return flag
    }

    func stringList(_ object: JSONObject, _ key: String, path: String) throws(EventError) -> [String]? {
        guard let value = object[key], value != .null else { return nil }
        guard case .array(let elements) = value else { throw fail("field \(path)\(key) must be an array of strings, got \(value.typeName)") }
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw fail("field \(path)\(key) must be an array of strings") }
            result.append(text)
        }
        return result
    }

    mutating func readEvent(_ document: JSONValue, kind: InputKind, topic: String) throws(EventError) -> InputEvent {
        guard case .object(let envelope) = document else { throw fail("event must be a JSON object, got \(document.typeName)") }
        let eventID = try requiredID(envelope, "event_id", path: "")
        known.eventID = eventID
        let eventType = try requiredString(envelope, "event_type", path: "")
        let timestampText = try requiredString(envelope, "timestamp", path: "")
        guard let payloadValue = envelope["payload"] else { throw fail("missing required field payload") }
        guard case .object(let payload) = payloadValue else { throw fail("field payload must be an object, got \(payloadValue.typeName)") }
        // Identifiers first, so that later errors can still name the lead.
        known.leadID = payload["lead_id"]?.stringValue
        known.businessID = payload["business_id"]?.stringValue
        known.tenantID = payload["tenant_id"]?.stringValue
        guard let timestamp = Timestamp(rfc3339: timestampText) else {
            throw fail("field timestamp must be an RFC 3339 date-time with an offset, e.g. 2025-10-25T10:30:00Z")
        }
        guard eventType == kind.rawValue || eventType == topic else {
            throw fail("event_type '\(eventType.prefix(64))' does not match the topic \(topic)")
        }
        let path = "payload."
        let leadID = try requiredID(payload, "lead_id", path: path)
        let businessID = try requiredID(payload, "business_id", path: path)
        let tenantID = try optionalString(payload, "tenant_id", path: path)
        let metadata = try readMetadata(try optionalObject(payload, "metadata", path: path))
        var event = InputEvent(
            kind: kind, topic: topic, eventID: eventID, eventType: eventType, timestamp: timestamp, leadID: leadID,
            businessID: businessID, tenantID: tenantID, text: nil, messageID: nil, requestID: nil, source: nil,
            direction: .inbound, tasks: Set(AnalysisTask.allCases), history: [], catalog: metadata.catalog,
            forceLLM: false, skipCache: false, metadata: metadata
        )
        switch kind {
        case .leadCreated:
            event.source = try optionalString(payload, "source", path: path)
            _ = try optionalString(payload, "platform_user_id", path: path)
            event.text = try optionalString(payload, "initial_message", path: path)
        case .leadMessage:
            event.text = try requiredString(payload, "message_text", path: path)
            event.messageID = try optionalString(payload, "message_id", path: path)
            if let direction = try optionalString(payload, "direction", path: path) {
                guard let parsed = MessageDirection(rawValue: direction) else {
                    throw fail("field payload.direction must be inbound or outbound")
                }
                event.direction = parsed
            }
        case .processRequest:
            event.text = try requiredString(payload, "text", path: path)
            event.requestID = try optionalString(payload, "request_id", path: path)
            if let tasks = try stringList(payload, "tasks", path: path) {
                guard !tasks.isEmpty else { throw fail("field payload.tasks must not be empty") }
                var parsed: Set<AnalysisTask> = []
                for task in tasks {
                    guard let value = AnalysisTask(rawValue: task) else {
                        throw fail("field payload.tasks may contain only intent, entities, response")
                    }
                    parsed.insert(value)
                }
                event.tasks = parsed
            }
            if let context = try optionalObject(payload, "context", path: path) {
                event.history = try readHistory(context)
                if let catalog = try stringList(context, "catalog", path: "payload.context.") { event.catalog = catalog }
            }
            if let options = try optionalObject(payload, "options", path: path) {
                event.forceLLM = try optionalBool(options, "force_llm", path: "payload.options.")
                event.skipCache = try optionalBool(options, "skip_cache", path: "payload.options.")
            }
        }
        return event
    }

    func readHistory(_ context: JSONObject) throws(EventError) -> [ConversationTurn] {
        guard let value = context["history"], value != .null else { return [] }
        guard case .array(let elements) = value else { throw fail("field payload.context.history must be an array") }
        var turns: [ConversationTurn] = []
        for element in elements {
            guard case .object(let turn) = element else { throw fail("field payload.context.history must hold objects") }
            let text = try requiredString(turn, "text", path: "payload.context.history[].")
            var direction = MessageDirection.inbound
            if let raw = try optionalString(turn, "direction", path: "payload.context.history[].") {
                guard let parsed = MessageDirection(rawValue: raw) else {
                    throw fail("field payload.context.history[].direction must be inbound or outbound")
                }
                direction = parsed
            }
            turns.append(ConversationTurn(direction: direction, text: text))
        }
        return turns
    }

    /// Metadata hints are advisory: a wrong type is an error, an unknown value falls back.
    func readMetadata(_ object: JSONObject?) throws(EventError) -> EventMetadata {
        var metadata = EventMetadata()
        guard let object else { return metadata }
        let path = "payload.metadata."
        if let zone = try optionalString(object, "timezone", path: path), TimeZone(identifier: zone) != nil {
            metadata.timezone = zone
        }
        if let currency = try optionalString(object, "currency", path: path) { metadata.currency = LocaleCodes.currency(currency) }
        if let country = try optionalString(object, "country", path: path) { metadata.country = LocaleCodes.country(country) }
        metadata.catalog = try stringList(object, "catalog", path: path) ?? []
        return metadata
    }
}
