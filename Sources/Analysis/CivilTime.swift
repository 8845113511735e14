import Events
import Foundation

/// Civil dates (`Events.CivilDate`) and zone conversion, without Calendar: fast, pure and
/// DST-correct through `TimeZone.secondsFromGMT(for:)`.
enum CivilTime {
    static func days(year: Int, month: Int, day: Int) -> Int { CivilDate.days(year: year, month: month, day: day) }
    static func civil(days: Int) -> (year: Int, month: Int, day: Int) { CivilDate.civil(days: days) }
    static func weekday(days: Int) -> Int { CivilDate.weekday(days: days) }
    static func daysInMonth(year: Int, month: Int) -> Int { CivilDate.daysInMonth(year: year, month: month) }
    static func isValid(year: Int, month: Int, day: Int) -> Bool { CivilDate.isValid(year: year, month: month, day: day) }

    /// The instant of a local wall time in `zone`, and the zone's offset at that instant
    /// (already read on the way, so formatting need not ask the zone again).
    static func instant(localSeconds: Int, zone: TimeZone) -> (instant: Int, offset: Int) {
        let off1 = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(localSeconds)))
        var t = localSeconds - off1
        let off2 = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
        if off2 != off1 {
            t = localSeconds - off2
            // In a spring-forward gap neither offset round-trips; keep the later reading.
            let off3 = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
            if off3 != off2 { return (localSeconds - off1, off2) }
            return (t, off3)
        }
        return (t, off2)
    }

    /// RFC 3339 with the zone's offset `off` at that instant: `2025-10-26T17:00:00+05:30`.
    static func format(instant: Int, offset off: Int) -> String {
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
