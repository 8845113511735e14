/// Metadata keys of the pipeline's log lines (STYLE §6).
enum LogKeys {
    static let topic = "kafka.topic"
    static let partition = "kafka.partition"
    static let offset = "kafka.offset"
    static let eventID = "event.id"
    static let leadID = "lead.id"
    static let traceID = "trace.id"
    static let errorCode = "error.code"
}
