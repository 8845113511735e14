/// Facts about an LLM call for the result's `llm` object.
public struct LLMUsage: Sendable, Equatable {
    public var used: Bool
    public var provider: String?
    public var model: String?
    public var inputTokens: Int
    public var outputTokens: Int
    public var costUSD: Double
    public init(used: Bool = false, provider: String? = nil, model: String? = nil, inputTokens: Int = 0, outputTokens: Int = 0, costUSD: Double = 0) {
        self.used = used
        self.provider = provider
        self.model = model
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.costUSD = costUSD
    }
}

/// The `ai.process.result` event for one input.
public struct ResultEvent: Sendable {
    public var eventID: String
    public var timestamp: Timestamp
    public var processingID: String
    public var source: InputEvent
    public var analysis: Analysis
    public var cacheHit: Bool
    public var llm: LLMUsage
    public var degraded: Bool
    public var processingTimeMilliseconds: Int

    public init(
        eventID: String, timestamp: Timestamp, processingID: String, source: InputEvent, analysis: Analysis,
        cacheHit: Bool = false, llm: LLMUsage = LLMUsage(), degraded: Bool = false, processingTimeMilliseconds: Int
    ) {
        self.eventID = eventID
        self.timestamp = timestamp
        self.processingID = processingID
        self.source = source
        self.analysis = analysis
        self.cacheHit = cacheHit
        self.llm = llm
        self.degraded = degraded
        self.processingTimeMilliseconds = processingTimeMilliseconds
    }
}

extension ResultEvent: JSONWritable {
    /// Every field is present; parts whose task was not asked for are null: `intent` covers
    /// intent, score, quality, sentiment and language; `entities` the entities; `response`
    /// the suggested actions and response.
    public func write(to writer: inout JSONWriter) {
        let tasks = source.tasks
        let wantsIntent = tasks.contains(.intent)
        let wantsResponse = tasks.contains(.response)
        writer.beginObject()
        writer.key("event_id"); writer.string(eventID)
        writer.key("event_type"); writer.string("ai.process.result")
        writer.key("timestamp"); writer.string(timestamp.rfc3339)
        writer.key("payload"); writer.beginObject()
        writer.key("lead_id"); writer.string(source.leadID)
        writer.key("business_id"); writer.string(source.businessID)
        writer.key("tenant_id"); writer.string(source.tenantID)
        writer.key("processing_id"); writer.string(processingID)
        writer.key("source_event_id"); writer.string(source.eventID)
        writer.key("source_event_type"); writer.string(source.topic)
        writer.key("source_event_time"); writer.string(source.timestamp.rfc3339)
        writer.key("message_id"); writer.string(source.messageID)
        writer.key("request_id"); writer.string(source.requestID)
        writer.key("intent"); if wantsIntent { analysis.intent.write(to: &writer) } else { writer.null() }
        writer.key("entities"); if tasks.contains(.entities) { analysis.entities.write(to: &writer) } else { writer.null() }
        writer.key("lead_score"); if wantsIntent { writer.int(analysis.leadScore) } else { writer.null() }
        writer.key("lead_quality"); writer.string(wantsIntent ? analysis.leadQuality.rawValue : nil)
        writer.key("sentiment"); writer.string(wantsIntent ? analysis.sentiment.rawValue : nil)
        writer.key("language"); writer.string(wantsIntent ? analysis.language : nil)
        writer.key("suggested_actions"); if wantsResponse { writer.stringArray(analysis.suggestedActions.map(\.rawValue)) } else { writer.null() }
        writer.key("suggested_response"); writer.string(wantsResponse ? analysis.suggestedResponse : nil)
        writer.key("cache"); writer.beginObject(); writer.key("hit"); writer.bool(cacheHit); writer.endObject()
        writer.key("llm"); writer.beginObject()
        writer.key("used"); writer.bool(llm.used)
        writer.key("provider"); writer.string(llm.provider)
        writer.key("model"); writer.string(llm.model)
        writer.key("input_tokens"); writer.int(llm.inputTokens)
        writer.key("output_tokens"); writer.int(llm.outputTokens)
        writer.key("cost_usd"); writer.number(llm.costUSD)
        writer.endObject()
        writer.key("degraded"); writer.bool(degraded)
        writer.key("processing_time_ms"); writer.int(processingTimeMilliseconds)
        writer.endObject()
        writer.endObject()
    }
}

/// Where a failed input came from.
public struct SourcePosition: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}

/// The `ai.error` event for one input that could not be processed.
public struct ErrorEvent: Sendable {
    public var eventID: String
    public var timestamp: Timestamp
    public var error: EventError
    public var position: SourcePosition
    public var attempts: Int
    /// The input bytes (nil for a tombstone).
    public var raw: [UInt8]?
    public var rawMaxBytes: Int

    public init(eventID: String, timestamp: Timestamp, error: EventError, position: SourcePosition, attempts: Int = 1, raw: [UInt8]?, rawMaxBytes: Int) {
        self.eventID = eventID
        self.timestamp = timestamp
        self.error = error
        self.position = position
        self.attempts = attempts
        self.raw = raw
        self.rawMaxBytes = rawMaxBytes
    }
}

extension ErrorEvent: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("event_id"); writer.string(eventID)
        writer.key("event_type"); writer.string("ai.error")
        writer.key("timestamp"); writer.string(timestamp.rfc3339)
        writer.key("payload"); writer.beginObject()
        writer.key("lead_id"); writer.string(error.known.leadID)
        writer.key("business_id"); writer.string(error.known.businessID)
        writer.key("tenant_id"); writer.string(error.known.tenantID)
        writer.key("source_event_id"); writer.string(error.known.eventID)
        writer.key("source_topic"); writer.string(position.topic)
        writer.key("source_partition"); writer.int(Int(position.partition))
        writer.key("source_offset"); writer.int(Int(position.offset))
        writer.key("error_code"); writer.string(error.code.rawValue)
        writer.key("error_message"); writer.string(error.message)
        writer.key("retryable"); writer.bool(error.retryable)
        writer.key("attempts"); writer.int(attempts)
        let excerpt = RawExcerpt(raw, maxBytes: rawMaxBytes)
        writer.key("raw"); writer.string(excerpt.text)
        writer.key("raw_encoding"); writer.string(excerpt.encoding)
        writer.key("raw_truncated"); writer.bool(excerpt.truncated)
        writer.endObject()
        writer.endObject()
    }
}

/// The input bytes as they go into `ai.error.raw`: UTF-8 text when valid (cut at a character
/// boundary), otherwise base64 of the first `maxBytes` bytes.
struct RawExcerpt {
    var text: String?
    var encoding: String?
    var truncated = false

    init(_ raw: [UInt8]?, maxBytes: Int) {
        guard let raw else { return }
        truncated = raw.count > maxBytes
        if let valid = String(validating: raw, as: UTF8.self) {
            encoding = "utf8"
            guard truncated else { text = valid; return }
            var end = maxBytes
            while end > 0, raw[end] & 0xC0 == 0x80 { end -= 1 }
            text = String(decoding: raw[0..<end], as: UTF8.self)
        } else {
            encoding = "base64"
            text = Base64.encode(raw.prefix(maxBytes))
        }
    }
}

enum Base64 {
    static func encode(_ bytes: some Collection<UInt8>) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(group >> 18 & 63)])
            output.append(alphabet[Int(group >> 12 & 63)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(group >> 6 & 63)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(group & 63)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}
