import Foundation

/// Proleptic Gregorian civil-date arithmetic (days since 1970-01-01) and zone conversion,
/// without Calendar: fast, pure and DST-correct through `TimeZone.secondsFromGMT(for:)`.
enum CivilTime {
    static func days(year y0: Int, month m: Int, day d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(days z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// 0 = Sunday … 6 = Saturday.
    static func weekday(days: Int) -> Int { ((days % 7) + 7 + 4) % 7 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year: year, month: month)
    }

    /// The instant of a local wall time in `zone`.
    static func instant(localSeconds: Int, zone: TimeZone) -> Int {
        let off1 = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds)))
        var t = localSeconds - off1
        let off2 = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
        if off2 != off1 {
            t = localSeconds - off2
            // In a spring-forward gap neither offset round-trips; keep the later reading.
            let off3 = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
            if off3 != off2 { t = localSeconds - off1 }
        }
        return t
    }

    /// RFC 3339 with the zone's offset at that instant: `2025-10-26T17:00:00+05:30`.
    static func format(instant: Int, zone: TimeZone) -> String {
        let off = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant)))
        let local = instant + off
        let dayNumber = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secs = local - dayNumber * 86_400
        let (y, m, d) = civil(days: dayNumber)
        var out = ""
        out.reserveCapacity(25)
        func pad(_ v: Int, _ width: Int) {
            let s = String(v)
            if s.count < width { out += String(repeating: "0", count: width - s.count) }
            out += s
        }
        pad(y, 4); out += "-"; pad(m, 2); out += "-"; pad(d, 2); out += "T"
        pad(secs / 3600, 2); out += ":"; pad(secs % 3600 / 60, 2); out += ":"; pad(secs % 60, 2)
        out += off < 0 ? "-" : "+"
        let a = abs(off)
        pad(a / 3600, 2); out += ":"; pad(a % 3600 / 60, 2)
        return out
    }
}
