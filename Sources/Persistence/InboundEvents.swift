import Events
import Foundation

/// One Kafka record as the consumer hands it over. Bytes are copied out of librdkafka already;
/// `nil` key or value is a null key / tombstone.
public struct InboundRecord: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
    }
}

/// The two event types backend-worker consumes. The raw value is also the `event_type` the
/// envelope must carry, whatever the (configurable) topic names are.
public enum InboundKind: String, Sendable, CaseIterable {
    case result = "ai.process.result"
    case error = "ai.error"
}

/// Which topic carries which kind (topic names are configurable, SPEC §2).
public struct InboundTopics: Sendable, Equatable {
    public var results: String
    public var errors: String

    public init(results: String = "ai.process.result", errors: String = "ai.error") {
        self.results = results
        self.errors = errors
    }

    public func kind(of topic: String) -> InboundKind? {
        if topic == results { return .result }
        if topic == errors { return .error }
        return nil
    }
}

/// A decoded `ai.process.result` event (SPEC §2). Parts the producer left null stay `nil`.
public struct AIResultEvent: Sendable, Equatable {
    public var eventID: String
    /// The envelope's `timestamp`.
    public var timestamp: Date
    /// `source_event_time` of the payload when the producer sends it (optional, not in SPEC §2).
    public var sourceEventTime: Date?
    public var leadID: String
    public var businessID: String
    public var tenantID: String?
    public var processingID: String?
    public var sourceEventID: String?
    public var sourceEventType: String?
    public var messageID: String?
    public var requestID: String?
    public var intent: IntentResult?
    /// The `entities` object as sent, stored as `leads.extracted_entities`.
    public var entities: JSONObject?
    public var leadScore: Int?
    public var leadQuality: LeadQuality?
    public var sentiment: String?
    public var language: String?
    public var suggestedActions: [String]
    public var suggestedResponse: String?
    public var degraded: Bool
    public var processingTimeMs: Double?
    public var cacheHit: Bool?
    public var llmUsed: Bool?
    public var llmProvider: String?
    public var llmModel: String?

    /// The time that orders results of one lead: the source event's time when known, else the
    /// envelope's timestamp. A result older than the lead's `last_event_time` is stale.
    public var eventTime: Date { sourceEventTime ?? timestamp }

    func strings(_ entity: String) -> [String] {
        guard case .array(let values)? = entities?[entity] else { return [] }
        return values.compactMap(\.stringValue)
    }

    func entityArray(_ entity: String) -> [JSONValue] {
        guard case .array(let values)? = entities?[entity] else { return [] }
        return values
    }

    var phones: [String] { strings("phones") }
    var emails: [String] { strings("emails") }
    var orderIDs: [String] { strings("order_ids") }
    var products: [String] { strings("products") }

    /// The first date mention: (RFC 3339 value, the customer's words).
    var firstDate: (value: Date?, text: String?)? {
        for case .object(let date) in entityArray("dates") {
            let value = date["value"]?.stringValue
            return (value.flatMap { Timestamp(rfc3339: $0)?.date }, date["text"]?.stringValue ?? value)
        }
        return nil
    }
}

/// A decoded `ai.error` event (SPEC §2): what ai-worker could not process.
public struct AIErrorEvent: Sendable, Equatable {
    public var eventID: String
    public var timestamp: Date
    public var leadID: String?
    public var businessID: String?
    public var tenantID: String?
    public var sourceEventID: String?
    public var sourceTopic: String?
    public var sourcePartition: Int?
    public var sourceOffset: Int64?
    public var errorCode: String
    public var errorMessage: String
    public var retryable: Bool
    public var attempts: Int
}

public enum InboundEvent: Sendable, Equatable {
    case result(AIResultEvent)
    case error(AIErrorEvent)

    public var eventID: String {
        switch self {
        case .result(let event): event.eventID
        case .error(let event): event.eventID
        }
    }

    public var leadID: String? {
        switch self {
        case .result(let event): event.leadID
        case .error(let event): event.leadID
        }
    }

    public var kind: InboundKind {
        switch self {
        case .result: .result
        case .error: .error
        }
    }
}

/// Decodes the raw Kafka value of `ai.process.result` / `ai.error` with the project's strict JSON
/// parser. Unknown fields are ignored, missing optional fields default, a missing required or
/// wrong-typed field is an `.invalidPayload` error (permanent: the record goes to the dead letters).
public enum InboundDecoder {
    /// Longest accepted id (event, lead, business, tenant...).
    public static let maxIDLength = 256

    public static func decode(_ value: [UInt8]?, as kind: InboundKind) throws(PersistenceError) -> InboundEvent {
        guard let value, !value.isEmpty else { throw .invalidPayload("the record has no value (tombstone or empty)") }
        let document: JSONValue
        do {
            document = try JSONParser.parse(value)
        } catch {
            throw .invalidPayload("the value is not valid JSON (\(error.description))")
        }
        guard case .object(let envelope) = document else { throw .invalidPayload("the value is not a JSON object") }
        let top = Fields(object: envelope, path: "")
        let eventID = try top.id("event_id")
        let eventType = try top.requiredString("event_type")
        guard eventType == kind.rawValue else {
            throw .invalidPayload("event_type does not match the topic (expected \(kind.rawValue))")
        }
        let timestampText = try top.requiredString("timestamp")
        guard let timestamp = Timestamp(rfc3339: timestampText)?.date else {
            throw .invalidPayload("timestamp is not an RFC 3339 date-time with offset")
        }
        guard case .object(let payloadObject)? = envelope["payload"] else {
            throw .invalidPayload(envelope["payload"] == nil ? "payload is missing" : "payload must be an object")
        }
        let payload = Fields(object: payloadObject, path: "payload.")
        switch kind {
        case .result:
            return .result(try decodeResult(eventID: eventID, timestamp: timestamp, payload: payload))
        case .error:
            return .error(try decodeError(eventID: eventID, timestamp: timestamp, payload: payload))
        }
    }

    /// Best-effort ids of an undecodable value, for the dead-letter row (never throws).
    public static func salvageIDs(_ value: [UInt8]?) -> (eventID: String?, leadID: String?) {
        guard let value, case .object(let envelope)? = try? JSONParser.parse(value) else { return (nil, nil) }
        func valid(_ text: String?) -> String? {
            guard let text, Fields.isValidID(text) else { return nil }
            return text
        }
        return (valid(envelope["event_id"]?.stringValue), valid(envelope["payload"]?["lead_id"]?.stringValue))
    }

    private static func decodeResult(eventID: String, timestamp: Date, payload: Fields) throws(PersistenceError) -> AIResultEvent {
        var sourceEventTime: Date?
        if let text = try payload.optionalString("source_event_time") {
            guard let date = Timestamp(rfc3339: text)?.date else {
                throw .invalidPayload("payload.source_event_time is not an RFC 3339 date-time with offset")
            }
            sourceEventTime = date
        }
        var intent: IntentResult?
        if let intentObject = try payload.optionalObject("intent") {
            let fields = Fields(object: intentObject, path: "payload.intent.")
            let label = try fields.requiredString("intent")
            guard let value = Intent(rawValue: label) else { throw .invalidPayload("payload.intent.intent is not a known intent") }
            guard let confidence = try fields.optionalNumber("confidence") else {
                throw .invalidPayload("payload.intent.confidence is missing")
            }
            guard (0...1).contains(confidence) else { throw .invalidPayload("payload.intent.confidence must be within 0...1") }
            let tierText = try fields.optionalString("tier") ?? Tier.rules.rawValue
            guard let tier = Tier(rawValue: tierText) else { throw .invalidPayload("payload.intent.tier is not a known tier") }
            var alternatives: [IntentAlternative] = []
            for case .object(let alternative) in try fields.optionalArray("alternatives") ?? [] {
                if let label = alternative["intent"]?.stringValue, let value = Intent(rawValue: label),
                   case .number(let confidence)? = alternative["confidence"] {
                    alternatives.append(IntentAlternative(intent: value, confidence: confidence))
                }
            }
            intent = IntentResult(intent: value, confidence: confidence, tier: tier, alternatives: alternatives)
        }
        var leadScore: Int?
        if let score = try payload.optionalNumber("lead_score") {
            guard score == score.rounded(), (0...100).contains(score) else {
                throw .invalidPayload("payload.lead_score must be an integer within 0...100")
            }
            leadScore = Int(score)
        }
        var leadQuality: LeadQuality?
        if let quality = try payload.optionalString("lead_quality") {
            guard let value = LeadQuality(rawValue: quality) else { throw .invalidPayload("payload.lead_quality must be hot, warm or cold") }
            leadQuality = value
        }
        var suggestedActions: [String] = []
        for action in try payload.optionalArray("suggested_actions") ?? [] {
            guard let text = action.stringValue else { throw .invalidPayload("payload.suggested_actions must hold strings") }
            suggestedActions.append(text)
        }
        let cache = try payload.optionalObject("cache").map { Fields(object: $0, path: "payload.cache.") }
        let llm = try payload.optionalObject("llm").map { Fields(object: $0, path: "payload.llm.") }
        let entities = try payload.optionalObject("entities")
        if let entities {
            let fields = Fields(object: entities, path: "payload.entities.")
            for name in entities.keys { _ = try fields.optionalArray(name) }
            try rejectNUL(in: .object(entities), field: "payload.entities")
        }
        return AIResultEvent(
            eventID: eventID,
            timestamp: timestamp,
            sourceEventTime: sourceEventTime,
            leadID: try payload.id("lead_id"),
            businessID: try payload.id("business_id"),
            tenantID: try payload.optionalID("tenant_id"),
            processingID: try payload.optionalID("processing_id"),
            sourceEventID: try payload.optionalID("source_event_id"),
            sourceEventType: try payload.optionalID("source_event_type"),
            messageID: try payload.optionalID("message_id"),
            requestID: try payload.optionalID("request_id"),
            intent: intent,
            entities: entities,
            leadScore: leadScore,
            leadQuality: leadQuality,
            sentiment: try payload.optionalID("sentiment"),
            language: try payload.optionalID("language"),
            suggestedActions: suggestedActions,
            suggestedResponse: try payload.optionalText("suggested_response"),
            degraded: try payload.optionalBool("degraded") ?? false,
            processingTimeMs: try payload.optionalNumber("processing_time_ms"),
            cacheHit: try cache?.optionalBool("hit"),
            llmUsed: try llm?.optionalBool("used"),
            llmProvider: try llm?.optionalID("provider"),
            llmModel: try llm?.optionalID("model")
        )
    }

    private static func decodeError(eventID: String, timestamp: Date, payload: Fields) throws(PersistenceError) -> AIErrorEvent {
        var sourcePartition: Int?
        if let partition = try payload.optionalNumber("source_partition") {
            guard partition == partition.rounded(), partition >= 0, partition <= Double(Int32.max) else {
                throw .invalidPayload("payload.source_partition must be a non-negative integer")
            }
            sourcePartition = Int(partition)
        }
        var sourceOffset: Int64?
        if let offset = try payload.optionalNumber("source_offset") {
            guard offset == offset.rounded(), abs(offset) < 9.0e15 else {
                throw .invalidPayload("payload.source_offset must be an integer")
            }
            sourceOffset = Int64(offset)
        }
        var attempts = 1
        if let count = try payload.optionalNumber("attempts") {
            guard count == count.rounded(), count >= 0, count < 1_000_000 else {
                throw .invalidPayload("payload.attempts must be a non-negative integer")
            }
            attempts = Int(count)
        }
        return AIErrorEvent(
            eventID: eventID,
            timestamp: timestamp,
            leadID: try payload.optionalID("lead_id"),
            businessID: try payload.optionalID("business_id"),
            tenantID: try payload.optionalID("tenant_id"),
            sourceEventID: try payload.optionalID("source_event_id"),
            sourceTopic: try payload.optionalID("source_topic"),
            sourcePartition: sourcePartition,
            sourceOffset: sourceOffset,
            errorCode: try payload.optionalID("error_code") ?? "UNKNOWN",
            errorMessage: try payload.optionalText("error_message") ?? "",
            retryable: try payload.optionalBool("retryable") ?? false,
            attempts: attempts
        )
    }

    /// PostgreSQL's text and jsonb cannot hold U+0000: refuse it at the door.
    static func rejectNUL(in value: JSONValue, field: String) throws(PersistenceError) {
        switch value {
        case .string(let text):
            if text.utf8.contains(0) { throw .invalidPayload("\(field) contains a NUL character") }
        case .array(let elements):
            for element in elements { try rejectNUL(in: element, field: field) }
        case .object(let object):
            for member in object.members {
                if member.key.utf8.contains(0) { throw .invalidPayload("\(field) contains a NUL character") }
                try rejectNUL(in: member.value, field: field)
            }
        case .null, .bool, .number:
            break
        }
    }
}

/// Typed access to one JSON object with error messages naming the field (never its value).
private struct Fields {
    let object: JSONObject
    let path: String

    static func isValidID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= InboundDecoder.maxIDLength && !text.unicodeScalars.contains { $0.value < 0x20 }
    }

    func wrongType(_ name: String, _ expected: String) -> PersistenceError {
        .invalidPayload("\(path)\(name) must be \(expected)")
    }

    func requiredString(_ name: String) throws(PersistenceError) -> String {
        guard let value = object[name] else { throw .invalidPayload("\(path)\(name) is missing") }
        guard case .string(let text) = value else { throw wrongType(name, "a string") }
        return text
    }

    func id(_ name: String) throws(PersistenceError) -> String {
        let text = try requiredString(name)
        guard Fields.isValidID(text) else {
            throw .invalidPayload("\(path)\(name) must be a non-empty string of at most \(InboundDecoder.maxIDLength) bytes without control characters")
        }
        return text
    }

    func optionalString(_ name: String) throws(PersistenceError) -> String? {
        switch object[name] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw wrongType(name, "a string or null")
        }
    }

    func optionalID(_ name: String) throws(PersistenceError) -> String? {
        guard let text = try optionalString(name) else { return nil }
        guard Fields.isValidID(text) else {
            throw .invalidPayload("\(path)\(name) must be a non-empty string of at most \(InboundDecoder.maxIDLength) bytes without control characters")
        }
        return text
    }

    /// Free text: any length, but no NUL (PostgreSQL text cannot hold it).
    func optionalText(_ name: String) throws(PersistenceError) -> String? {
        guard let text = try optionalString(name) else { return nil }
        guard !text.utf8.contains(0) else { throw .invalidPayload("\(path)\(name) contains a NUL character") }
        return text
    }

    func optionalNumber(_ name: String) throws(PersistenceError) -> Double? {
        switch object[name] {
        case nil, .null?: return nil
        case .number(let number)?: return number
        default: throw wrongType(name, "a number or null")
        }
    }

    func optionalBool(_ name: String) throws(PersistenceError) -> Bool? {
        switch object[name] {
        case nil, .null?: return nil
        case .bool(let flag)?: return flag
        default: throw wrongType(name, "a boolean or null")
        }
    }

    func optionalObject(_ name: String) throws(PersistenceError) -> JSONObject? {
        switch object[name] {
        case nil, .null?: return nil
        case .object(let value)?: return value
        default: throw wrongType(name, "an object or null")
        }
    }

    func optionalArray(_ name: String) throws(PersistenceError) -> [JSONValue]? {
        switch object[name] {
        case nil, .null?: return nil
        case .array(let value)?: return value
        default: throw wrongType(name, "an array or null")
        }
    }
}
