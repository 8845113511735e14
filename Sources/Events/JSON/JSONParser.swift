/// A strict RFC 8259 parser over UTF-8 bytes. Invalid UTF-8 inside strings, trailing data,
/// lone surrogates in escapes and nesting deeper than `maxDepth` are errors.
public struct JSONParser {
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let message: String
        public let offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    public static let maxDepth = 128

    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> JSONValue {
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer throws(Failure) in
            var parser = Cursor(bytes: buffer)
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.position == buffer.count else { throw parser.failure("unexpected data after the JSON value") }
            return value
        }
    }

    public static func parse(_ text: String) throws(Failure) -> JSONValue {
        try parse(Array(text.utf8))
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func failure(_ message: String) -> Failure { Failure(message: message, offset: position) }

        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func expect(_ literal: StaticString, value: JSONValue) throws(Failure) -> JSONValue {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count else { throw failure("invalid literal") }
            let pointer = literal.utf8Start
            for offset in 0..<count where bytes[position + offset] != pointer[offset] {
                throw failure("invalid literal")
            }
            position += count
            return value
        }

        mutating func parseValue(depth: Int) throws(Failure) -> JSONValue {
            guard depth < JSONParser.maxDepth else { throw failure("nesting too deep") }
            guard let byte = current else { throw failure("unexpected end of input") }
            switch byte {
            case UInt8(ascii: "{"): return try parseObject(depth: depth)
            case UInt8(ascii: "["): return try parseArray(depth: depth)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
            case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
            case UInt8(ascii: "n"): return try expect("null", value: .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
            default: throw failure("unexpected character")
            }
        }

        mutating func parseObject(depth: Int) throws(Failure) -> JSONValue {
            position += 1
            var object = JSONObject()
            skipWhitespace()
            if current == UInt8(ascii: "}") { position += 1; return .object(object) }
            while true {
                skipWhitespace()
                guard current == UInt8(ascii: "\"") else { throw failure("expected a string key") }
                let key = try parseString()
                skipWhitespace()
                guard current == UInt8(ascii: ":") else { throw failure("expected ':'") }
                position += 1
                skipWhitespace()
                object[key] = try parseValue(depth: depth + 1)
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"): position += 1; return .object(object)
                default: throw failure("expected ',' or '}'")
                }
            }
        }

        mutating func parseArray(depth: Int) throws(Failure) -> JSONValue {
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { position += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth + 1))
                skipWhitespace()
                switch current {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"): position += 1; return .array(elements)
                default: throw failure("expected ',' or ']'")
                }
            }
        }

        mutating func parseNumber() throws(Failure) -> JSONValue {
            let start = position
            if current == UInt8(ascii: "-") { position += 1 }
            guard let first = current, first >= 0x30, first <= 0x39 else { throw failure("invalid number") }
            position += 1
            if first != 0x30 { skipDigits() }
            if current == UInt8(ascii: ".") {
                position += 1
                guard skipDigits() > 0 else { throw failure("invalid number") }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { position += 1 }
                guard skipDigits() > 0 else { throw failure("invalid number") }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            guard let value = Double(text), value.isFinite else { throw failure("number out of range") }
            return .number(value)
        }

        @discardableResult
        mutating func skipDigits() -> Int {
            let start = position
            while let byte = current, byte >= 0x30, byte <= 0x39 { position += 1 }
            return position - start
        }

        mutating func parseString() throws(Failure) -> String {
            position += 1
            let start = position
            // Fast path: no escapes, only validated UTF-8.
            while let byte = current, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
                guard byte >= 0x20 else { throw failure("control character in string") }
                position += 1
            }
            guard current != nil else { throw failure("unterminated string") }
            var scalars = String.UnicodeScalarView()
            var utf8Run = UnsafeBufferPointer(rebasing: bytes[start..<position])
            if current == UInt8(ascii: "\"") {
                position += 1
                return try decodeUTF8(utf8Run, at: start)
            }
            scalars.append(contentsOf: try decodeUTF8(utf8Run, at: start).unicodeScalars)
            while true {
                guard let byte = current else { throw failure("unterminated string") }
                if byte == UInt8(ascii: "\"") { position += 1; return String(scalars) }
                if byte == UInt8(ascii: "\\") {
                    position += 1
                    scalars.append(try parseEscape())
                    continue
                }
                let runStart = position
                while let next = current, next != UInt8(ascii: "\""), next != UInt8(ascii: "\\") {
                    guard next >= 0x20 else { throw failure("control character in string") }
                    position += 1
                }
                utf8Run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                scalars.append(contentsOf: try decodeUTF8(utf8Run, at: runStart).unicodeScalars)
            }
        }

        func decodeUTF8(_ run: UnsafeBufferPointer<UInt8>, at offset: Int) throws(Failure) -> String {
            guard let text = String(validating: run, as: UTF8.self) else {
                throw Failure(message: "invalid UTF-8 in string", offset: offset)
            }
            return text
        }

        mutating func parseEscape() throws(Failure) -> Unicode.Scalar {
            guard let byte = current else { throw failure("unterminated escape") }
            position += 1
            switch byte {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let high = try parseHex4()
                if (0xD800...0xDBFF).contains(high) {
                    guard current == UInt8(ascii: "\\"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "u") else {
                        throw failure("lone surrogate in escape")
                    }
                    position += 2
                    let low = try parseHex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("invalid surrogate pair") }
                    let combined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    guard let scalar = Unicode.Scalar(combined) else { throw failure("invalid escape") }
                    return scalar
                }
                guard let scalar = Unicode.Scalar(high) else { throw failure("lone surrogate in escape") }
                return scalar
            default:
                throw failure("invalid escape")
            }
        }

        mutating func parseHex4() throws(Failure) -> UInt32 {
            guard position + 4 <= bytes.count else { throw failure("invalid unicode escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw failure("invalid unicode escape")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }
    }
}
