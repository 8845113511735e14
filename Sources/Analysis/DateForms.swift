/// More ways of writing a calendar date: months and years mixed with separators ("2016-11",
/// "11/2016", "23/Sep/2020", "2016, nov"), days in words ("twenty second of June",
/// "May twenty nine"), a weekday with its day of month ("Saturday the 23rd") and weeks
/// ("week 31", "the third week of May", "the week of the 18th").
extension DateReader {
    /// Words between "week" and the day it starts on ("the week of the 18th").
    static let weekStartWords: Set<String> = ["of", "beginning", "starting", "commencing", "from"]
    static let ordinalDays: [String: Int] = [
        "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
        "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
        "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
    ]

    enum Part { case number(Int, digits: Int), month(Int) }

    /// Whether a slash pair at `i` follows what makes it a fraction, not a date: a minus sign
    /// ("-3/8") or a whole number before a space ("1 2/3", "- 4 1/2"). Dates are never signed,
    /// and a day/month pair does not follow a bare count.
    static func fractionLead(_ t: [Token], before i: Int) -> Bool {
        guard i > 0, t[i].kind == .number else { return false }
        let p = t[i - 1]
        if p.isPunct("-"), !t[i].spaceBefore { return i == 1 || (p.spaceBefore && !t[i - 2].isNumber) }
        return p.isNumber && t[i].spaceBefore && p.text.utf8.count <= 3 && (i == 1 || !(t[i - 2].isPunct("/") || t[i - 2].isPunct(":") || t[i - 2].isPunct(".")))
    }

    private func part(_ t: [Token], _ k: Int) -> Part? {
        guard k < t.count else { return nil }
        if t[k].kind == .number, t[k].text.utf8.count <= 4, t[k].text.utf8.count != 3, let v = Int(t[k].text) { return .number(v, digits: t[k].text.utf8.count) }
        if t[k].kind == .word, t[k].cls.contains(.monthName), let m = DateReader.months[t[k].norm], t[k].text.utf8.count >= 3 { return .month(m) }
        return nil
    }

    /// Index after a separator between date parts at `k`: "-", "/", "." (spaced only for - and /),
    /// or a space or comma between a month name and a year.
    private func separator(_ t: [Token], _ k: Int, namesAround: Bool) -> Int? {
        guard k < t.count else { return nil }
        if t[k].isPunct("-") || t[k].isPunct("/") || (t[k].isPunct(".") && !t[k].spaceBefore && k + 1 < t.count && !t[k + 1].spaceBefore) {
            return k + 1
        }
        if namesAround, t[k].isPunct(",") { return k + 1 }
        if namesAround { return k }
        return nil
    }

    /// Dates of parts joined by separators, with a month name or a four-digit year among them.
    func parseMixed(_ t: [Token], at i: Int, ref: Reference) -> Piece? {
        guard let first = part(t, i) else { return nil }
        var parts = [first]
        var k = i + 1
        var punctuated = false
        while parts.count < 3, k < t.count {
            let named: Bool = {
                guard let next = part(t, k + (t[k].isPunct(",") ? 1 : 0)) else { return false }
                switch (parts[parts.count - 1], next) {
                case (.month, .number(_, let d)), (.number(_, let d), .month): return d == 4 || parts.count == 1
                default: return false
                }
            }()
            if t[k].isPunct(","), parts.count == 2, k + 1 < t.count, t[k + 1].isNumber, t[k + 1].text.utf8.count == 4, let p = part(t, k + 1) {
                parts.append(p); k += 2; punctuated = true
                break
            }
            guard let s = separator(t, k, namesAround: named), s > k || named, let p = part(t, s) else { break }
            if s > k, !t[k].isPunct(",") { punctuated = true }
            if s == k, !t[k].spaceBefore { break }
            parts.append(p)
            k = s + 1
        }
        guard parts.count >= 2 else { return nil }
        // A four-digit year or a month name must be among the parts; plain numbers are read elsewhere.
        let hasName = parts.contains { if case .month = $0 { return true }; return false }
        let hasYear = parts.contains { if case .number(_, 4) = $0 { return true }; return false }
        guard hasName || hasYear, punctuated || hasYear else { return nil }
        if k < t.count, !t[k].spaceBefore, t[k].kind == .number || t[k].kind == .word { return nil }
        var year: Int?, month: Int?, day: Int?
        var numbers: [Int] = []
        for p in parts {
            switch p {
            case .month(let m): if month != nil { return nil }; month = m
            case .number(let v, 4): if year != nil { return nil }; year = v
            case .number(let v, _): numbers.append(v)
            }
        }
        if month == nil {
            // Two numbers before a year: month first in the US, day first elsewhere; after a year, always month first.
            let yearFirst: Bool = { if case .number(_, 4) = parts[0] { return true }; return false }()
            if numbers.count == 2, !yearFirst, !usOrder || numbers[0] > 12, numbers[1] <= 12 { numbers.swapAt(0, 1) }
            guard let n = numbers.first, n >= 1, n <= 12 else { return nil }
            month = n; numbers.removeFirst()
        }
        if let n = numbers.first {
            guard numbers.count == 1, n >= 1, n <= 31 else { return nil }
            day = n
        }
        guard let m = month else { return nil }
        if let d = day {
            var y = year ?? ref.year
            guard CivilTime.isValid(year: y, month: m, day: d) || year == nil else { return nil }
            if year == nil, !CivilTime.isValid(year: y, month: m, day: d) || CivilTime.days(year: y, month: m, day: d) < ref.localDay - 31 { y += 1 }
            while year == nil, !CivilTime.isValid(year: y, month: m, day: d), y < ref.year + 8 { y += 1 }
            guard CivilTime.isValid(year: y, month: m, day: d) else { return nil }
            var p = Piece(start: i, end: k, day: CivilTime.days(year: y, month: m, day: d), grain: .day)
            p.yearWritten = year != nil
            return p
        }
        guard let y = year else { return nil }
        var p = Piece(start: i, end: k, day: CivilTime.days(year: y, month: m, day: 1), grain: .month)
        p.yearWritten = true
        return p
    }

    /// A day of the month in words at `k`: "ninth", "twenty second", "twenty-first", and after a
    /// month name also cardinals ("May twenty nine", "the thirty").
    func dayWord(_ t: [Token], at k: Int, cardinals: Bool) -> (Int, Int)? {
        guard k < t.count, t[k].kind == .word else { return nil }
        let w = t[k].text
        if let tens = NumberReader.tens[w], tens <= 30 {
            var j = k + 1
            if j < t.count, t[j].isPunct("-") { j += 1 }
            if j < t.count, t[j].kind == .word {
                if let u = DateReader.ordinalDays[t[j].text], u < 10 { return (Int(tens) + u, j + 1) }
                if cardinals, let u = NumberReader.units[t[j].text], u >= 1, u < 10 { return (Int(tens) + Int(u), j + 1) }
            }
            return cardinals ? (Int(tens), k + 1) : nil
        }
        if let d = DateReader.ordinalDays[w] { return (d, k + 1) }
        if cardinals, let u = NumberReader.units[w], u >= 1, u <= 19 { return (Int(u), k + 1) }
        return nil
    }

    /// "twenty second of June", "the fourth of july 1995": a day word before a month.
    func parseDayWordFirst(_ t: [Token], at i: Int, ref: Reference) -> Piece? {
        guard let (d, e) = dayWord(t, at: t[i].text == "the" ? i + 1 : i, cardinals: false) else { return nil }
        var k = e
        if word(t, k) == "day", word(t, k + 1) == "of" { k += 1 }
        if word(t, k) == "of" { k += 1 }
        guard k < t.count, t[k].kind == .word, let m = DateReader.months[t[k].norm] else { return nil }
        return withYear(day: d, month: m, start: i, end: k + 1, t, ref: ref)
    }

    /// A date without a year, or with one written after it ("…, 1995", "of 1995").
    func withYear(day d: Int, month m: Int, start: Int, end: Int, _ t: [Token], ref: Reference) -> Piece? {
        var yk = end
        if yk < t.count, t[yk].isPunct(",") || t[yk].norm == "of" || t[yk].norm == "in" { yk += 1 }
        var year: Int?
        var stop = end
        if yk < t.count, t[yk].isNumber, t[yk].text.utf8.count == 4, let yv = Int(t[yk].text), yv >= 1000, yv <= 2999 { year = yv; stop = yk + 1 }
        else if let (yv, e) = yearWords(t, at: yk) { year = yv; stop = e }
        var y = year ?? ref.year
        if year == nil, !CivilTime.isValid(year: y, month: m, day: d) || CivilTime.days(year: y, month: m, day: d) < ref.localDay - 31 { y += 1 }
        guard CivilTime.isValid(year: y, month: m, day: d) else { return nil }
        var p = Piece(start: start, end: stop, day: CivilTime.days(year: y, month: m, day: d), grain: .day)
        p.yearWritten = year != nil
        return p
    }

    /// "Saturday the 23rd", "Mon 13th", "Friday the fifteenth": the nearest month, this one
    /// first, where that day of the month falls on that weekday.
    func weekdayWithDay(_ t: [Token], weekday wd: Int, at i: Int, ref: Reference) -> Piece? {
        var k = i + 1
        if k < t.count, t[k].isPunct(",") { k += 1 }
        if word(t, k) == "the" { k += 1 }
        var dom: Int?
        var end = k
        if k < t.count, t[k].isNumber, t[k].text.utf8.count <= 2, let v = Int(t[k].text) {
            end = k + 1
            if end < t.count, t[end].kind == .word, DateReader.ordinalSuffix.contains(t[end].text), !t[end].spaceBefore { end += 1 }
            dom = v
        } else if let (v, e) = dayWord(t, at: k, cardinals: word(t, k - 1) == "the") {
            dom = v; end = e
        }
        guard let d = dom, d >= 1, d <= 31 else { return nil }
        // A month name after the day is a full date ("Wed, 22 of Jan"): read elsewhere.
        if let w = word(t, end), DateReader.months[w] != nil || (w == "of" && DateReader.months[word(t, end + 1) ?? ""] != nil) { return nil }
        if end < t.count, t[end].isPunct("/") || t[end].isPunct("-"), !t[end].spaceBefore { return nil }
        var y = ref.year, m = ref.month
        for _ in 0..<14 {
            if CivilTime.isValid(year: y, month: m, day: d), CivilTime.weekday(days: CivilTime.days(year: y, month: m, day: d)) == wd {
                return Piece(start: i, end: end, day: CivilTime.days(year: y, month: m, day: d), grain: .day)
            }
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return nil
    }

    /// A year in words: "nineteen eighty six", "two thousand and fifteen", "nineteen zero one".
    func yearWords(_ t: [Token], at k: Int) -> (Int, Int)? {
        guard k < t.count, t[k].kind == .word, t[k].cls.contains(.numberWord), t[k].text != "a", t[k].text != "an" else { return nil }
        let reader = NumberReader()
        if let c = reader.readCardinal(t, at: k), c.value >= 1000, c.value <= 2999, c.value == c.value.rounded() { return (Int(c.value), c.end) }
        // "nineteen eighty six": the century, then the year in it.
        guard let u = NumberReader.units[t[k].text], u >= 10, u <= 29 else { return nil }
        var j = k + 1
        var rest = 0
        if word(t, j) == "zero" || word(t, j) == "oh", let d = NumberReader.units[word(t, j + 1) ?? ""], d < 10 { rest = Int(d); j += 2 }
        else if let c = reader.readCardinal(t, at: j), c.value >= 10, c.value <= 99 { rest = Int(c.value); j = c.end }
        else { return nil }
        return (Int(u) * 100 + rest, j)
    }

    /// "the first friday of july", "the last Monday of next month".
    func nthWeekday(_ t: [Token], at i: Int, ref: Reference, claimed: [Bool]) -> Piece? {
        var k = i
        if word(t, k) == "the" { k += 1 }
        guard let w = word(t, k), let n = w == "last" ? -1 : DateReader.ordinalDays[w], n <= 5, let wd = word(t, k + 1).flatMap({ DateReader.weekdays[$0] }),
            k + 1 < t.count, t[k + 1].text.utf8.count >= 5 || t[k + 1].hasUpper else { return nil }
        // "first Sunday" alone: of this month.
        guard let of = word(t, k + 2), of == "of" || of == "in", k + 3 < t.count else {
            guard n > 0 else { return nil }
            let anchor = Piece(start: k + 2, end: k + 2, day: CivilTime.days(year: ref.year, month: ref.month, day: 1), grain: .month)
            return nth(n, wd, in: anchor, start: i)
        }
        var anchor = parseMerged(t, at: k + 3, ref: ref, claimed: claimed)
        if anchor == nil, let m = DateReader.months[t[k + 3].norm], t[k + 3].text.utf8.count >= 3 {
            let y = m < ref.month ? ref.year + 1 : ref.year
            anchor = Piece(start: k + 3, end: k + 4, day: CivilTime.days(year: y, month: m, day: 1), grain: .month)
        }
        guard let anchor, anchor.grain == .month else { return nil }
        return nth(n, wd, in: anchor, start: i)
    }

    private func nth(_ n: Int, _ wd: Int, in anchor: Piece, start i: Int) -> Piece? {
        guard let d = anchor.day else { return nil }
        let (y, m, _) = CivilTime.civil(days: d)
        let first = CivilTime.days(year: y, month: m, day: 1)
        var day: Int
        if n > 0 {
            day = first + (wd - CivilTime.weekday(days: first) + 7) % 7 + 7 * (n - 1)
        } else {
            let last = CivilTime.days(year: y, month: m, day: CivilTime.daysInMonth(year: y, month: m))
            day = last - (CivilTime.weekday(days: last) - wd + 7) % 7
        }
        guard CivilTime.civil(days: day).month == m else { return nil }
        return Piece(start: i, end: anchor.end, day: day, grain: .day)
    }

    /// The next date with day of month `d`: this month unless it has passed.
    func nextDayOfMonth(_ d: Int, start: Int, end: Int, ref: Reference) -> Piece? {
        var y = ref.year, mo = ref.month
        if d < ref.dayOfMonth { mo += 1; if mo > 12 { mo = 1; y += 1 } }
        guard CivilTime.isValid(year: y, month: mo, day: d) else { return nil }
        return Piece(start: start, end: end, day: CivilTime.days(year: y, month: mo, day: d), grain: .day)
    }

    /// The Monday of the week holding `day`.
    func monday(of day: Int) -> Int { day - (CivilTime.weekday(days: day) + 6) % 7 }

    /// The Monday of the n-th week of a month or year: week one holds its first Thursday.
    func mondayOfWeek(_ n: Int, from firstDay: Int) -> Int {
        let firstThursday = firstDay + (4 - CivilTime.weekday(days: firstDay) + 7) % 7
        return monday(of: firstThursday) + 7 * (n - 1)
    }

    /// "week 31", "the week 1 of 2027", "the third week of May", "first week of 2015",
    /// "the week of the 18th", "the week beginning February 4".
    func parseWeek(_ t: [Token], at i: Int, ref: Reference, claimed: [Bool]) -> Piece? {
        var k = i
        var nth: Int?
        if t[k].kind == .word, let n = DateReader.ordinalDays[t[k].text], n <= 5, word(t, k + 1) == "week" { nth = n; k += 1 }
        else if t[k].kind == .number, t[k].text.utf8.count == 1, let n = Int(t[k].text), word(t, k + 1).map(DateReader.ordinalSuffix.contains) == true,
            word(t, k + 2) == "week" { nth = n; k += 2 }
        guard word(t, k) == "week" else { return nil }
        k += 1
        if nth == nil, k < t.count, t[k].isNumber, let n = Int(t[k].text), n >= 1, n <= 53 {
            // "week 31", "week 3 of 2027"
            var y = ref.year
            var end = k + 1
            if word(t, end) == "of", end + 1 < t.count, t[end + 1].isNumber, t[end + 1].text.utf8.count == 4, let yv = Int(t[end + 1].text) { y = yv; end += 2 }
            return Piece(start: i, end: end, day: mondayOfWeek(n, from: CivilTime.days(year: y, month: 1, day: 1)), grain: .week)
        }
        if let w = word(t, k), DateReader.weekStartWords.contains(w) {
            var j = k + 1
            if word(t, j) == "on" { j += 1 }
            if let n = nth {
                // The n-th week of a year or of a month.
                if j < t.count, t[j].isNumber, t[j].text.utf8.count == 4, let y = Int(t[j].text) {
                    return Piece(start: i, end: j + 1, day: mondayOfWeek(n, from: CivilTime.days(year: y, month: 1, day: 1)), grain: .week)
                }
                guard let anchor = parseMerged(t, at: j, ref: ref, claimed: claimed), let d = anchor.day, anchor.grain == .month || anchor.grain == .day else { return nil }
                let (y, m, _) = CivilTime.civil(days: d)
                return Piece(start: i, end: anchor.end, day: mondayOfWeek(n, from: CivilTime.days(year: y, month: m, day: 1)), grain: .week)
            }
            guard let anchor = parseMerged(t, at: j, ref: ref, claimed: claimed), let d = anchor.day, anchor.grain == .day else { return nil }
            return Piece(start: i, end: anchor.end, day: monday(of: d), grain: .week)
        }
        return nil
    }
}
