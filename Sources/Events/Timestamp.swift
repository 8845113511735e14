import Foundation

/// RFC 3339 timestamps (`2025-10-25T10:30:00Z`, `2025-10-25T16:00:00.123+05:30`), parsed and
/// written without Foundation's formatters (which are slow and locale-sensitive).
public struct Timestamp: Sendable, Equatable {
    public var date: Date
    /// Offset from UTC in seconds, as written.
    public var utcOffsetSeconds: Int

    public init(date: Date, utcOffsetSeconds: Int = 0) {
        self.date = date
        self.utcOffsetSeconds = utcOffsetSeconds
    }

    /// Parses an RFC 3339 date-time with a mandatory offset (`Z` or `±HH:MM`).
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        var position = 0
        func digits(_ count: Int) -> Int? {
            guard position + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[position..<position + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            position += count
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard position < bytes.count, characters.utf8.contains(bytes[position]) else { return false }
            position += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            expect("Tt "), let hour = digits(2), expect(":"), let minute = digits(2), expect(":"), let second = digits(2)
        else { return nil }
        var fraction = 0.0
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            var scale = 0.1
            let start = position
            while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
                fraction += Double(bytes[position] - 0x30) * scale
                scale /= 10
                position += 1
            }
            guard position > start else { return nil }
        }
        guard position < bytes.count else { return nil }
        var offset = 0
        if expect("Zz") {
            offset = 0
        } else {
            let sign: Int
            switch bytes[position] {
            case UInt8(ascii: "+"): sign = 1
            case UInt8(ascii: "-"): sign = -1
            default: return nil
            }
            position += 1
            guard let offsetHours = digits(2), expect(":"), let offsetMinutes = digits(2), offsetHours < 24, offsetMinutes < 60 else { return nil }
            offset = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard position == bytes.count, (1...12).contains(month), day >= 1, day <= CivilDate.daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = Double(days * 86400 + hour * 3600 + minute * 60 + min(second, 59) - offset) + fraction
        self.init(date: Date(timeIntervalSince1970: seconds), utcOffsetSeconds: offset)
    }

    /// `2025-10-25T10:30:00Z` (UTC) or with the offset kept; milliseconds when not whole.
    public var rfc3339: String {
        let total = date.timeIntervalSince1970 + Double(utcOffsetSeconds)
        let wholeSeconds = Int(total.rounded(.down))
        let milliseconds = Int(((total - Double(wholeSeconds)) * 1000).rounded())
        let days = Int((Double(wholeSeconds) / 86400).rounded(.down))
        let secondOfDay = wholeSeconds - days * 86400
        let (year, month, day) = CivilDate.civil(days: days)
        var text = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if milliseconds > 0, milliseconds < 1000 { text += ".\(pad(milliseconds, 3))" }
        if utcOffsetSeconds == 0 { return text + "Z" }
        let magnitude = abs(utcOffsetSeconds)
        return text + (utcOffsetSeconds < 0 ? "-" : "+") + "\(pad(magnitude / 3600, 2)):\(pad(magnitude / 60 % 60, 2))"
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }


}
