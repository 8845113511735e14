import Events
import Foundation
import Kafka

/// The topic names in use (all configurable).
public struct TopicNames: Sendable, Equatable {
    public var leadCreated = "lead.created"
    public var leadMessage = "lead.message"
    public var processRequest = "ai.process.request"
    public var result = "ai.process.result"
    public var error = "ai.error"

    public init() {}

    public var inputs: [String] { [leadCreated, leadMessage, processRequest] }

    public func kind(of topic: String) -> InputKind? {
        switch topic {
        case leadCreated: .leadCreated
        case leadMessage: .leadMessage
        case processRequest: .processRequest
        default: nil
        }
    }
}

/// What became of one input record.
public enum ProcessingOutput: Sendable {
    case publish(OutgoingRecord, OutputSummary)
    /// No output (a valid outbound message); the offset still advances.
    case skip(OutputSummary)
    /// The analysis was cancelled (shutdown past its deadline): no output, the offset stays.
    case cancelled
}

/// A log-friendly digest of an output: no customer text.
public struct OutputSummary: Sendable {
    public enum Kind: String, Sendable { case result, error, skipped }
    public var kind: Kind
    public var sourceTopic: String
    public var eventID: String?
    public var leadID: String?
    public var intent: Intent?
    public var confidence: Double?
    public var tier: Tier?
    public var errorCode: EventError.Code?
    public var traceID: String
    /// The customer's text, cut to `textPreviewLimit` characters: for debug logs only (the log
    /// handler masks phones and emails).
    public var text: String?

    static let textPreviewLimit = 200
    static func preview(_ text: String?) -> String? {
        guard let text else { return nil }
        return text.count <= textPreviewLimit ? text : String(text.prefix(textPreviewLimit)) + "…"
    }
}

/// Validates, analyzes and builds the output record of one input. Does no Kafka I/O.
public struct EventProcessor: Sendable {
    public var topics: TopicNames
    public var decoder: EventDecoder
    public var analyzer: any EventAnalyzer
    public var rawMaxBytes: Int
    /// The largest output value the producer accepts (its `message.max.bytes` less the
    /// record overhead): a larger result is replaced by its `OUTPUT_REJECTED` ai.error.
    public var maxOutputBytes: Int

    public init(topics: TopicNames, decoder: EventDecoder, analyzer: any EventAnalyzer, rawMaxBytes: Int, maxOutputBytes: Int = 1_000_000 - 4096) {
        self.topics = topics
        self.decoder = decoder
        self.analyzer = analyzer
        self.rawMaxBytes = rawMaxBytes
        self.maxOutputBytes = maxOutputBytes
    }

    public func process(_ record: KafkaRecord) async -> ProcessingOutput {
        var generator = IDGenerator()
        return await process(record, ids: EventIDs(using: &generator))
    }

    /// Processes with ids drawn by the caller (workers keep one generator each).
    func process(_ record: KafkaRecord, ids: EventIDs) async -> ProcessingOutput {
        let started = ContinuousClock.now
        let trace = traceContext(of: record, ids: ids)
        let position = SourcePosition(topic: record.topic, partition: record.partition, offset: record.offset)
        guard let kind = topics.kind(of: record.topic) else {
            return errorOutput(EventError(.validationFailed, "topic \(record.topic) is not an input topic"), record: record, position: position, trace: trace, ids: ids)
        }
        var event: InputEvent
        switch decoder.decode(record.value, kind: kind, topic: record.topic) {
        case .failure(let error):
            return errorOutput(error, record: record, position: position, trace: trace, ids: ids)
        case .success(let decoded):
            event = decoded
        }
        event.traceparent = trace.traceparent
        event.tracestate = record.header("tracestate").map { String(decoding: $0, as: UTF8.self) }
        if event.kind == .leadMessage, event.direction == .outbound {
            return .skip(OutputSummary(kind: .skipped, sourceTopic: record.topic, eventID: event.eventID, leadID: event.leadID, traceID: trace.traceID))
        }
        let outcome: AnalyzerOutcome
        do {
            outcome = try await analyzer.analyze(event)
        } catch is CancellationError {
            return .cancelled
        } catch {
            if Task.isCancelled { return .cancelled }
            let failure = EventError(.processingFailed, "analysis failed: \(error)", retryable: true, known: event.known)
            return errorOutput(failure, record: record, position: position, trace: trace, ids: ids)
        }
        let result = ResultEvent(
            eventID: OutputIdentity.eventID(topic: record.topic, partition: record.partition, offset: record.offset, sourceEventID: event.eventID),
            timestamp: Timestamp(date: Date()), processingID: ids.processingID, source: event,
            analysis: outcome.analysis, cacheHit: outcome.cacheHit, llm: outcome.llm, degraded: outcome.degraded,
            processingTimeMilliseconds: (ContinuousClock.now - started).wholeMilliseconds
        )
        var writer = JSONWriter(capacity: 1536)
        result.write(to: &writer)
        guard writer.bytes.count <= maxOutputBytes else {
            let rejected = EventError(
                .outputRejected, "the result (\(writer.bytes.count) bytes) is larger than the producer's limit of \(maxOutputBytes) bytes",
                known: event.known
            )
            return errorOutput(rejected, record: record, position: position, trace: trace, ids: ids)
        }
        var headers = outputHeaders(eventType: "ai.process.result", trace: trace, record: record)
        headers.append(KafkaHeader(name: "source_event_id", string: event.eventID))
        let outgoing = OutgoingRecord(topic: topics.result, key: Array(event.leadID.utf8), value: writer.bytes, headers: headers)
        let summary = OutputSummary(
            kind: .result, sourceTopic: record.topic, eventID: event.eventID, leadID: event.leadID, intent: outcome.analysis.intent.intent,
            confidence: outcome.analysis.intent.confidence, tier: outcome.analysis.intent.tier, traceID: trace.traceID,
            text: OutputSummary.preview(event.text)
        )
        return .publish(outgoing, summary)
    }

    /// The `OUTPUT_REJECTED` ai.error that replaces a result the producer could not publish
    /// (`cause`: librdkafka's error name), under the id the result would have had.
    func rejection(of record: KafkaRecord, cause: String, attempts: Int) -> OutgoingRecord {
        var ids = IDGenerator()
        let eventIDs = EventIDs(using: &ids)
        let known: KnownIdentifiers
        if let kind = topics.kind(of: record.topic), case .success(let event) = decoder.decode(record.value, kind: kind, topic: record.topic) {
            known = event.known
        } else {
            known = KnownIdentifiers()
        }
        let error = EventError(.outputRejected, "the result could not be published: \(cause)", known: known)
        let position = SourcePosition(topic: record.topic, partition: record.partition, offset: record.offset)
        return errorRecord(error, record: record, position: position, trace: traceContext(of: record, ids: eventIDs), attempts: attempts).record
    }

    private func errorOutput(_ error: EventError, record: KafkaRecord, position: SourcePosition, trace: TraceContext, ids: EventIDs) -> ProcessingOutput {
        let (outgoing, summary) = errorRecord(error, record: record, position: position, trace: trace, attempts: 1)
        return .publish(outgoing, summary)
    }

    private func errorRecord(
        _ error: EventError, record: KafkaRecord, position: SourcePosition, trace: TraceContext, attempts: Int
    ) -> (record: OutgoingRecord, summary: OutputSummary) {
        let event = ErrorEvent(
            eventID: OutputIdentity.eventID(topic: record.topic, partition: record.partition, offset: record.offset, sourceEventID: error.known.eventID),
            timestamp: Timestamp(date: Date()), error: error, position: position, attempts: attempts, raw: record.value, rawMaxBytes: rawMaxBytes
        )
        var writer = JSONWriter(capacity: 1024)
        event.write(to: &writer)
        var headers = outputHeaders(eventType: "ai.error", trace: trace, record: record)
        if let eventID = error.known.eventID { headers.append(KafkaHeader(name: "source_event_id", string: eventID)) }
        let key = error.known.eventID == nil ? record.key : (error.known.leadID.map { Array($0.utf8) } ?? record.key)
        let summary = OutputSummary(
            kind: .error, sourceTopic: record.topic, eventID: error.known.eventID, leadID: error.known.leadID, errorCode: error.code, traceID: trace.traceID
        )
        return (OutgoingRecord(topic: topics.error, key: key, value: writer.bytes, headers: headers), summary)
    }

    private func outputHeaders(eventType: String, trace: TraceContext, record: KafkaRecord) -> [KafkaHeader] {
        var headers = [
            KafkaHeader(name: "event_type", string: eventType),
            KafkaHeader(name: "content-type", string: "application/json"),
            KafkaHeader(name: "traceparent", string: trace.traceparent),
        ]
        if let state = record.header("tracestate") { headers.append(KafkaHeader(name: "tracestate", value: state)) }
        return headers
    }

    /// The input's trace continued with a new span, or a new trace.
    private func traceContext(of record: KafkaRecord, ids: EventIDs) -> TraceContext {
        let span = ids.spanID
        if let header = record.header("traceparent"), let parent = TraceContext(traceparent: String(decoding: header, as: UTF8.self)) {
            return parent.child(spanID: span)
        }
        return TraceContext(traceID: ids.newTraceID, spanID: span)
    }
}

/// Random ids for one processing of an input, drawn before it starts (the output's
/// `event_id` is not among them: it is derived from the input, see `OutputIdentity`).
struct EventIDs: Sendable {
    var processingID: String
    var spanID: String
    /// Used only when the input carries no valid `traceparent`.
    var newTraceID: String

    init(using generator: inout IDGenerator) {
        processingID = generator.uuid()
        spanID = generator.hex(bytes: 8)
        newTraceID = generator.hex(bytes: 16)
    }
}
