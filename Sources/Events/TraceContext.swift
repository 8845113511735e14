/// W3C trace context (`traceparent`, version 00): continued from an input, or started anew.
public struct TraceContext: Sendable, Equatable {
    /// 32 lower-case hex digits.
    public var traceID: String
    /// 16 lower-case hex digits: the span that produced the output.
    public var spanID: String
    public var flags: String

    /// Parses a `traceparent` header; nil when absent or invalid (all-zero ids included).
    public init?(traceparent: String) {
        let parts = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.allSatisfy({ $0.utf8.allSatisfy(Self.isLowerHex) }),
            parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
        else { return nil }
        if parts[0] == "00", parts.count != 4 { return nil }
        traceID = String(parts[1])
        spanID = String(parts[2])
        flags = String(parts[3])
    }

    public init(traceID: String, spanID: String, flags: String = "01") {
        self.traceID = traceID
        self.spanID = spanID
        self.flags = flags
    }

    /// A child context: same trace, the given new span.
    public func child(spanID: String) -> TraceContext {
        TraceContext(traceID: traceID, spanID: spanID, flags: flags)
    }

    public var traceparent: String { "00-\(traceID)-\(spanID)-\(flags)" }

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }
}
