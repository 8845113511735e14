import Foundation
import Logging
import Synchronization

/// One log line per record, JSON or text, with phone numbers, emails and credentials masked in
/// the message and in every metadata value.
///
/// JSON lines carry `timestamp` (UTC, milliseconds), `level`, `message`, `logger`, then the
/// metadata keys (`kafka.topic`, `event.id`, `trace.id`…) in key order. A metadata key that
/// collides with one of those four is written as `metadata.<key>`.
public struct MaskingLogHandler: LogHandler {
    public enum Format: String, Sendable { case json, text }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: Format
    private let output: LogOutput

    public init(
        label: String, level: Logger.Level, format: Format, output: LogOutput = .standardError, metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if let error = event.error, merged["error"] == nil { merged["error"] = "\(error)" }
        output.write(Self.render(event: event, metadata: merged, label: label, format: format, time: Date()))
    }

    /// The line for one record, newline included.
    static func render(event: LogEvent, metadata: Logger.Metadata, label: String, format: Format, time: Date) -> String {
        let message = LogMasking.mask("\(event.message)")
        let sorted = metadata.sorted { $0.key < $1.key }
        switch format {
        case .json:
            var line = "{\"timestamp\":\"\(Self.iso8601(time))\",\"level\":\"\(event.level.rawValue)\",\"message\":"
            JSONText.appendString(message, to: &line)
            line += ",\"logger\":"
            JSONText.appendString(label, to: &line)
            for (key, value) in sorted {
                line += ","
                JSONText.appendString(Self.reservedKeys.contains(key) ? "metadata.\(key)" : key, to: &line)
                line += ":"
                Self.appendJSON(value, key: key, to: &line)
            }
            return line + "}\n"
        case .text:
            var line = "\(Self.iso8601(time)) \(event.level.rawValue.uppercased()) [\(label)] \(message)"
            for (key, value) in sorted {
                line += " \(key)=\(Self.maskedText(value, key: key))"
            }
            return line + "\n"
        }
    }

    static let reservedKeys: Set<String> = ["timestamp", "level", "message", "logger"]

    private static func maskedText(_ value: Logger.Metadata.Value, key: String) -> String {
        if LogMasking.isSecretKey(key) { return LogMasking.redacted }
        return LogMasking.mask("\(value)", key: key)
    }

    /// Strings stay strings (masked); nested arrays and dictionaries become JSON arrays and objects.
    private static func appendJSON(_ value: Logger.Metadata.Value, key: String, to line: inout String) {
        if LogMasking.isSecretKey(key) {
            JSONText.appendString(LogMasking.redacted, to: &line)
            return
        }
        switch value {
        case .string(let text):
            JSONText.appendString(LogMasking.mask(text, key: key), to: &line)
        case .stringConvertible(let convertible):
            JSONText.appendString(LogMasking.mask(convertible.description, key: key), to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                appendJSON(element, key: key, to: &line)
            }
            line += "]"
        case .dictionary(let values):
            line += "{"
            for (index, element) in values.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                JSONText.appendString(element.key, to: &line)
                line += ":"
                appendJSON(element.value, key: element.key, to: &line)
            }
            line += "}"
        }
    }

    /// `2025-10-25T10:30:00.123Z`.
    static func iso8601(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let millis = Int((interval - Double(seconds)) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(min(max(millis, 0), 999)), 3))Z"
    }
}

/// Where log lines go; writes are serialized so lines never interleave. Write errors (a closed
/// pipe) are ignored: logging never takes the process down.
public final class LogOutput: Sendable {
    public static let standardError = LogOutput(handle: .standardError)
    private let handle: Mutex<FileHandle>
    public init(handle: FileHandle) { self.handle = Mutex(handle) }
    /// Writes `line` as it is (newline included): log records, or plain console lines beside them.
    public func write(_ line: String) {
        handle.withLock { try? $0.write(contentsOf: Data(line.utf8)) }
    }
}

/// JSON string escaping (RFC 8259).
enum JSONText {
    static func appendString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    static func quoted(_ text: String) -> String {
        var output = ""
        appendString(text, to: &output)
        return output
    }
}

/// Masks phone numbers (`+91******3210`), emails (`a***@example.com`) and URL passwords
/// (`redis://:****@host`) in free text. Identifiers that merely contain digits (UUIDs, trace and
/// span ids, ISO dates, decimals) are left alone so that logs stay correlatable.
public enum LogMasking {
    public static let redacted = "****"

    /// Metadata keys whose values are numbers or ids this program generates: never masked.
    public static let trustedKeys: Set<String> = ["kafka.offset", "kafka.partition", "trace.id", "span.id", "traceparent"]

    /// Metadata keys whose whole value is replaced (`password`, `api_key`, `token`, `secret`…).
    public static func isSecretKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        return ["password", "passwd", "secret", "api_key", "apikey", "api-key", "token", "authorization", "credential"].contains { lower.contains($0) }
    }

    /// Masks `text` as the value of metadata `key` (trusted keys are kept).
    public static func mask(_ text: String, key: String) -> String {
        trustedKeys.contains(key) ? text : mask(text)
    }

    public static func mask(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "@") || (0x30...0x39).contains($0) }) else { return text }
        var scalars = Array(text.unicodeScalars)
        maskURLCredentials(&scalars)
        maskEmails(&scalars)
        maskPhones(&scalars)
        return String(String.UnicodeScalarView(scalars))
    }

    /// `scheme://user:password@host` → `scheme://user:****@host`.
    static func maskURLCredentials(_ scalars: inout [Unicode.Scalar]) {
        var index = 0
        while index + 2 < scalars.count {
            guard scalars[index] == ":", scalars[index + 1] == "/", scalars[index + 2] == "/" else { index += 1; continue }
            let authorityStart = index + 3
            var end = authorityStart
            while end < scalars.count, !"/ \t\n\"'?#,".unicodeScalars.contains(scalars[end]) { end += 1 }
            if let at = scalars[authorityStart..<end].lastIndex(of: "@"),
                let colon = scalars[authorityStart..<at].firstIndex(of: ":"), colon + 1 < at {
                let replacement = Array(redacted.unicodeScalars)
                scalars.replaceSubrange((colon + 1)..<at, with: replacement)
                index = colon + 1 + replacement.count
            } else {
                index = end
            }
        }
    }

    static func maskEmails(_ scalars: inout [Unicode.Scalar]) {
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "@" else { index += 1; continue }
            var start = index
            while start > 0, isLocalPart(scalars[start - 1]) { start -= 1 }
            while start < index, scalars[start] == "." { start += 1 }
            var end = index + 1
            while end < scalars.count, isDomainPart(scalars[end]) { end += 1 }
            let domain = scalars[(index + 1)..<end]
            let alreadyMasked = index - start == 4 && scalars[(start + 1)..<index].allSatisfy { $0 == "*" }
            if start < index, domain.contains("."), !alreadyMasked {
                let replacement = Array("\(scalars[start])***".unicodeScalars)
                scalars.replaceSubrange(start..<index, with: replacement)
                index = start + replacement.count + 1
            } else {
                index += 1
            }
        }
    }

    /// Runs of 8 or more digits (separators `+ - . ( )` and spaces allowed between) keep a leading
    /// `+` with the next two digits and their last 4 digits. Not masked: runs inside a hex
    /// identifier (UUID, trace id), ISO dates (`2025-10-25`) and decimals (`0.12345678`).
    static func maskPhones(_ scalars: inout [Unicode.Scalar]) {
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "+" || isDigit(scalars[index]) else { index += 1; continue }
            var end = index
            var digitPositions: [Int] = []
            while end < scalars.count, isDigit(scalars[end]) || "+-.() ".unicodeScalars.contains(scalars[end]) {
                if isDigit(scalars[end]) { digitPositions.append(end) }
                end += 1
            }
            guard let first = digitPositions.first, let last = digitPositions.last else {
                index = max(end, index + 1)
                continue
            }
            let count = digitPositions.count
            let inIdentifier = isHexIdentifier(scalars, around: first) || isHexIdentifier(scalars, around: last)
            if count >= 8, !inIdentifier, !isDateOrDecimal(scalars[first...last]) {
                let keepHead = scalars[index] == "+" ? 2 : 0
                for (order, position) in digitPositions.enumerated() where order >= keepHead && order < count - 4 {
                    scalars[position] = "*"
                }
            }
            index = max(end, index + 1)
        }
    }

    /// True when the position lies in a token of hex digits and dashes, 16 or more long, with at
    /// least one letter: a UUID, trace id or span id.
    private static func isHexIdentifier(_ scalars: [Unicode.Scalar], around position: Int) -> Bool {
        func isTokenPart(_ scalar: Unicode.Scalar) -> Bool { isDigit(scalar) || isIdentifierLetter(scalar) || scalar == "-" }
        var start = position
        while start > 0, isTokenPart(scalars[start - 1]) { start -= 1 }
        var end = position + 1
        while end < scalars.count, isTokenPart(scalars[end]) { end += 1 }
        let token = scalars[start..<end]
        guard token.count >= 16 else { return false }
        var letters = 0
        for scalar in token {
            if ("a"..."f").contains(scalar) || ("A"..."F").contains(scalar) {
                letters += 1
            } else if !isDigit(scalar), scalar != "-" {
                return false
            }
        }
        return letters > 0
    }

    /// `2025-10-25`, `2025-10-25 10` and `12.5` / `0.12345678` shapes.
    private static func isDateOrDecimal(_ run: ArraySlice<Unicode.Scalar>) -> Bool {
        let separators = run.filter { !isDigit($0) }
        if separators.count == 1, separators[0] == "." { return true }
        let text = String(String.UnicodeScalarView(run))
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        if groups.count == 3, groups[0].count == 4, groups[1].count == 2, groups[2].count >= 2,
            groups.allSatisfy({ $0.unicodeScalars.allSatisfy { isDigit($0) || $0 == " " } }) {
            return true
        }
        return false
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    static func isIdentifierLetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }
    static func isLocalPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || isDigit(scalar) || "._%+-".unicodeScalars.contains(scalar)
    }
    static func isDomainPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || isDigit(scalar) || ".-".unicodeScalars.contains(scalar)
    }
}
