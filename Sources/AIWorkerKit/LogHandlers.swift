import Foundation
import Logging
import Synchronization

/// One log line per record, JSON or text, with phone numbers and emails masked everywhere.
public struct MaskingLogHandler: LogHandler {
    public enum Format: String, Sendable { case json, text }

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let format: Format
    private let output: LogOutput

    public init(label: String, level: Logger.Level, format: Format, output: LogOutput = .standardError) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = self.metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let time = Date()
        let line: String
        switch format {
        case .json:
            var fields: [(String, String)] = [
                ("timestamp", Self.iso8601(time)), ("level", event.level.rawValue), ("message", LogMasking.mask("\(event.message)")), ("logger", label),
            ]
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { fields.append((key, LogMasking.mask("\(value)"))) }
            line = "{" + fields.map { "\(Self.quote($0.0)):\(Self.quote($0.1))" }.joined(separator: ",") + "}"
        case .text:
            let pairs = merged.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\(LogMasking.mask("\($0.value)"))" }.joined(separator: " ")
            line = "\(Self.iso8601(time)) \(event.level.rawValue.uppercased()) \(LogMasking.mask("\(event.message)"))\(pairs.isEmpty ? "" : " " + pairs)"
        }
        output.write(line + "\n")
    }

    static func iso8601(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// Where log lines go; writes are serialized so lines never interleave.
public final class LogOutput: Sendable {
    public static let standardError = LogOutput(handle: .standardError)
    private let handle: Mutex<FileHandle>
    public init(handle: FileHandle) { self.handle = Mutex(handle) }
    func write(_ line: String) {
        handle.withLock { $0.write(Data(line.utf8)) }
    }
}

/// Masks phone numbers (`+91******3210`) and emails (`a***@example.com`) in free text.
public enum LogMasking {
    public static func mask(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "@") || (0x30...0x39).contains($0) }) else { return text }
        return maskPhones(maskEmails(text))
    }

    static func maskEmails(_ text: String) -> String {
        guard text.contains("@") else { return text }
        var scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "@" else { index += 1; continue }
            var start = index
            while start > 0, isLocalPart(scalars[start - 1]) { start -= 1 }
            var end = index + 1
            while end < scalars.count, isDomainPart(scalars[end]) { end += 1 }
            let domain = String(String.UnicodeScalarView(scalars[(index + 1)..<end]))
            if start < index, domain.contains(".") {
                let replacement = Array("\(scalars[start])***".unicodeScalars)
                scalars.replaceSubrange(start..<index, with: replacement)
                index = start + replacement.count + 1
            } else {
                index += 1
            }
        }
        return String(String.UnicodeScalarView(scalars))
    }

    /// Runs of at least 8 digits (separators `+ - . ( )` and spaces allowed between) keep a
    /// leading `+` and country code and their last 4 digits.
    static func maskPhones(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "+" || isDigit(scalars[index]) else { index += 1; continue }
            var end = index
            var digitPositions: [Int] = []
            while end < scalars.count, isDigit(scalars[end]) || "+-.() ".unicodeScalars.contains(scalars[end]) {
                if isDigit(scalars[end]) { digitPositions.append(end) }
                end += 1
            }
            if digitPositions.count >= 8, digitPositions.count <= 15 {
                let keepHead = scalars[index] == "+" ? 2 : 0
                for (order, position) in digitPositions.enumerated() where order >= keepHead && order < digitPositions.count - 4 {
                    scalars[position] = "*"
                }
            }
            index = max(end, index + 1)
        }
        return String(String.UnicodeScalarView(scalars))
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    static func isLocalPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || isDigit(scalar) || "._%+-".unicodeScalars.contains(scalar)
    }
    static func isDomainPart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || isDigit(scalar) || ".-".unicodeScalars.contains(scalar)
    }
}
