import Events
import Foundation

/// The `metadata` JSON of `lead_activities` rows.
extension ResultApplier {
    static func json(_ value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.value(value)
        return writer.string
    }

    static func activityMetadata(_ result: AIResultEvent, record: InboundRecord, stale: Bool, actions: [FollowUpAction]) -> String {
        var writer = JSONWriter()
        writeActivityMetadata(result, record: record, stale: stale, actions: actions, to: &writer)
        return writer.string
    }

    static func writeActivityMetadata(
        _ result: AIResultEvent, record: InboundRecord, stale: Bool, actions: [FollowUpAction], to writer: inout JSONWriter
    ) {
        writer.beginObject()
        writer.key("event_id"); writer.string(result.eventID)
        writer.key("processing_id"); writer.string(result.processingID)
        writer.key("source_event_id"); writer.string(result.sourceEventID)
        writer.key("source_event_type"); writer.string(result.sourceEventType)
        writer.key("message_id"); writer.string(result.messageID)
        writer.key("request_id"); writer.string(result.requestID)
        writer.key("intent"); writer.string(result.intent?.intent.rawValue)
        writer.key("confidence")
        if let confidence = result.intent?.confidence { writer.number(confidence) } else { writer.null() }
        writer.key("tier"); writer.string(result.intent?.tier.rawValue)
        writer.key("lead_score")
        if let score = result.leadScore { writer.int(score) } else { writer.null() }
        writer.key("lead_quality"); writer.string(result.leadQuality?.rawValue)
        writer.key("sentiment"); writer.string(result.sentiment)
        writer.key("language"); writer.string(result.language)
        writer.key("suggested_actions"); writer.stringArray(result.suggestedActions)
        writer.key("suggested_response"); writer.string(result.suggestedResponse)
        writer.key("degraded"); writer.bool(result.degraded)
        writer.key("llm_used")
        if let used = result.llmUsed { writer.bool(used) } else { writer.null() }
        writer.key("stale"); writer.bool(stale)
        writer.key("follow_ups"); writer.stringArray(actions.map(\.name))
        writer.key("event_time"); writer.string(Self.rfc3339(result.eventTime))
        writer.key("kafka")
        writer.beginObject()
        writer.key("topic"); writer.string(record.topic)
        writer.key("partition"); writer.int(Int(record.partition))
        writer.key("offset"); writer.int(Int(record.offset))
        writer.endObject()
        writer.endObject()
    }

    static func errorMetadata(_ event: AIErrorEvent, record: InboundRecord) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("event_id"); writer.string(event.eventID)
        writer.key("error_code"); writer.string(event.errorCode)
        writer.key("error_message"); writer.string(event.errorMessage)
        writer.key("retryable"); writer.bool(event.retryable)
        writer.key("attempts"); writer.int(event.attempts)
        writer.key("source_event_id"); writer.string(event.sourceEventID)
        writer.key("source_topic"); writer.string(event.sourceTopic)
        writer.key("source_partition")
        if let partition = event.sourcePartition { writer.int(partition) } else { writer.null() }
        writer.key("source_offset")
        if let offset = event.sourceOffset { writer.int(Int(offset)) } else { writer.null() }
        writer.key("kafka")
        writer.beginObject()
        writer.key("topic"); writer.string(record.topic)
        writer.key("partition"); writer.int(Int(record.partition))
        writer.key("offset"); writer.int(Int(record.offset))
        writer.endObject()
        writer.endObject()
        return writer.string
    }

    static func rfc3339(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
