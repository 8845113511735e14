/// The logger metadata keys every module shares (STYLE §6); a module's own keys live in its
/// own `LogKeys`.
public enum LogFields {
    public static let topic = "kafka.topic"
    public static let partition = "kafka.partition"
    public static let offset = "kafka.offset"
    public static let eventID = "event.id"
    public static let leadID = "lead.id"
    public static let traceID = "trace.id"
    public static let errorCode = "error.code"
    public static let intent = "intent"
    public static let tier = "tier"
    public static let confidence = "confidence"
}
