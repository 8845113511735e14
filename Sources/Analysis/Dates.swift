import Events
import Foundation

/// A small date/time grammar resolved against the reference time in the business's zone.
struct DateReader: Sendable {
    static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "febuary": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
        "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
        "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]
    /// 0 = Sunday.
    static let weekdays: [String: Int] = [
        "sunday": 0, "sun": 0, "monday": 1, "mon": 1, "tuesday": 2, "tue": 2, "tues": 2, "wednesday": 3, "wed": 3,
        "thursday": 4, "thu": 4, "thur": 4, "thurs": 4, "friday": 5, "fri": 5, "saturday": 6, "sat": 6,
        "somvar": 1, "mangalvar": 2, "budhvar": 3, "guruvar": 4, "shukravar": 5, "shanivar": 6, "ravivar": 0,
    ]
    static let partsOfDay: [String: Int] = [
        "morning": 9, "afternoon": 14, "evening": 18, "night": 20, "subah": 9, "shaam": 18, "sham": 18,
        "raat": 20, "dopahar": 13, "noon": 12, "midday": 12, "eve": 18,
    ]
    static let ordinalSuffix: Set<String> = ["st", "nd", "rd", "th"]
    static let connectors: Set<String> = ["at", "@", ",", "on", "by", "around", "in", "the", "for", "of", "between", "from", "-", "approx", "about", "before", "after", "ko", "se", "ke", "tak", "ka", "ki"]

    // Word lists of the grammar below (sets, so no list is built per call).
    static let pastTenseWords: Set<String> = [
        "tha", "thi", "the", "hua", "hui", "kiya", "kia", "aaya", "aya", "gaya", "gayi", "li", "liya", "mila", "mili", "diya", "di", "kharida", "manga", "mangaya", "bheja",
    ]
    static let tomorrowWords: Set<String> = ["tomorrow", "tmrw", "tomorow", "tommorow", "kal"]
    static let weekendLead: Set<String> = ["on", "over", "the", "by", "till", "until", "for"]
    static let dayOfMonthLead: Set<String> = ["for", "on", "by", "till", "until", "around"]
    static let afterDayWords: Set<String> = ["of", "ko", "tak", "and", "or"]
    static let unmistakableShortWeekdays: Set<String> = ["tue", "tues", "thu", "thur", "thurs", "fri"]
    static let afterThisUnits: Set<String> = ["week", "weekend", "month", "saturday", "sunday", "hafte", "mahine"]
    static let laterWords: Set<String> = ["baad", "bad", "later", "mein", "me", "main", "hence"]
    static let oclockWords: Set<String> = ["baje", "bje", "oclock", "o'clock", "baj"]
    static let dashDateLead: Set<String> = ["on", "by", "date", "till", "until", "before", "from", "dated"]
    static let ratingLead: Set<String> = ["rated", "rate", "rating", "score", "scored", "marks", "gave", "give"]
    static let ratingLeadTwoBack: Set<String> = ["rated", "rating", "gave", "scored"]
    static let measureUnits: Set<String> = ["kg", "kgs", "g", "gm", "l", "ml", "litre", "liter", "cup", "inch", "pcs"]
    static let ordinalDayLead: Set<String> = ["the", "on", "by", "before", "till", "until"]
    static let ordinalDayFollowers: Set<String> = ["and", "or", "ko", "tak"]
    static let bareHourLead: Set<String> = ["at", "by", "around", "@", "till", "until", "before", "after"]
    static let bareHourFollowers: Set<String> = ["today", "tomorrow", "tonight", "kal", "tmrw", "on"]
    static let bareMonthLead: Set<String> = ["in", "by", "till", "until", "for", "during", "before", "from", "since"]

    let usOrder: Bool

    init(country: String) { usOrder = country.uppercased() == "US" }

    /// A parsed piece: a day, a time of day, or both, or a moment/period.
    struct Piece {
        var start: Int
        var end: Int
        var day: Int? // days since epoch (local)
        var hour: Int?
        var minute: Int = 0
        var second: Int = 0
        var grain: DateGrain
        var instant: Int? // exact moment ("in 2 hours")
        var ambiguousHour = false // "at 5": 5 or 17
        /// am or pm was written, so no part of the day moves the hour.
        var meridiem = false
        var partOfDay = false
        /// A clock time was given (not just a part of day).
        var clock = false
        /// The year was written ("5 May 2020"), so an interval's other end may borrow it.
        var yearWritten = false
        var isTime: Bool { hour != nil && day == nil && instant == nil }
        var isDay: Bool { day != nil && hour == nil && instant == nil && grain == .day }
    }

    /// Words that may start a date form; any other word starts none.
    static let startClasses: WordClass = [.dateWord, .dayOrdinal, .monthName, .numberWord]

    func scan(_ t: [Token], _ bytes: [UInt8], claimed: [Bool], context: AnalysisContext) -> [(DateMention, Int, Int)] {
        var out: [(DateMention, Int, Int)] = []
        var ref: Reference?
        var i = 0
        while i < t.count {
            if claimed[i] || !(t[i].kind == .word || t[i].kind == .number) { i += 1; continue }
            if t[i].kind == .word, t[i].cls.isDisjoint(with: DateReader.startClasses) { i += 1; continue }
            if ref == nil { ref = Reference(context) }
            guard let r = ref else { break }
            // An interval is reported by its start: "5 to 6pm", "between 3 and 12 of Sept".
            let single = parseMerged(t, at: i, ref: r, claimed: claimed)
            let range = interval(t, at: i, single: single, ref: r, claimed: claimed)
            guard let first = range?.start ?? single else { i += 1; continue }
            for piece in [first] + (range.map { [$0.end] } ?? []) {
                // A bare part of day ("good morning", "every evening") is not a date by itself.
                if piece.partOfDay, piece.day == nil, piece.clock == false { continue }
                let mention = resolve(piece, ref: r, bytes: bytes, t: t, zone: context.timeZone)
                if !out.contains(where: { $0.0.value == mention.value && $0.0.grain == mention.grain }) {
                    out.append((mention, piece.start, piece.end))
                }
            }
            i = range?.end.end ?? first.end
        }
        return out
    }

    /// A piece and the complementary pieces after it: "tomorrow at 5pm", "kal subah 10 baje".
    func parseMerged(_ t: [Token], at i: Int, ref: Reference, claimed: [Bool]) -> Piece? {
        guard var piece = parse(t, at: i, ref: ref, claimed: claimed) else { return nil }
        var merges = 0
        while merges < 2 {
            var j = piece.end
            while j < t.count, DateReader.connectors.contains(t[j].norm), j - piece.end < 3 { j += 1 }
            guard j < t.count, !claimed[j], let next = parse(t, at: j, ref: ref, claimed: claimed), let merged = merge(piece, next) else { break }
            piece = merged
            piece.end = next.end
            merges += 1
        }
        return piece
    }

    private func merge(_ a: Piece, _ b: Piece) -> Piece? {
        guard a.instant == nil, b.instant == nil, a.grain.isDayOrFiner, b.grain.isDayOrFiner else { return nil }
        if a.day != nil && b.day != nil { return nil }
        if a.clock && b.clock { return nil }
        if a.partOfDay && b.partOfDay && !a.clock && !b.clock { return nil }
        if a.hour == nil && b.hour == nil { return nil }
        var m = a
        m.day = a.day ?? b.day
        m.start = min(a.start, b.start)
        let clockPiece: Piece? = a.clock ? a : (b.clock ? b : nil)
        let partPiece: Piece? = (a.partOfDay && !a.clock) ? a : ((b.partOfDay && !b.clock) ? b : nil)
        if let c = clockPiece {
            m.hour = c.hour
            m.minute = c.minute
            m.grain = c.grain
            m.clock = true
            m.ambiguousHour = c.ambiguousHour
            m.partOfDay = false
            if let part = partPiece?.hour, let h = c.hour, h < 12, !c.meridiem, part >= 12 || (part == 12 && h < 6) { m.hour = h + 12; m.ambiguousHour = false }
            if let part = partPiece?.hour, part < 12 { m.ambiguousHour = false }
        } else if let p = partPiece {
            m.hour = p.hour
            m.minute = 0
            m.grain = .hour
            m.partOfDay = true
        }
        return m
    }

    private func resolve(_ p: Piece, ref: Reference, bytes: [UInt8], t: [Token], zone: TimeZone) -> DateMention {
        let text = String(decoding: bytes[t[p.start].start..<t[p.end - 1].end], as: UTF8.self)
        if let instant = p.instant {
            // Truncate to the grain.
            var v = instant
            if p.grain == .minute || p.grain == .hour { v -= ((v % 60) + 60) % 60 }
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(v)))
            return DateMention(value: CivilTime.format(instant: v, offset: offset), grain: p.grain, text: text)
        }
        var day = p.day ?? ref.localDay
        var hour = p.hour ?? 0
        if let h = p.hour, p.day == nil {
            // A time alone: today, or tomorrow when already past.
            var hh = h
            if p.ambiguousHour, hh < 12 {
                if hh >= 1 && hh <= 7 { hh += 12 } // "at 5" in business chat means 17:00
            }
            hour = hh
            if hh * 3600 + p.minute * 60 <= ref.localSeconds && !p.partOfDay { day += 1 }
        } else if let h = p.hour, p.ambiguousHour, h >= 1, h <= 7 {
            hour = h + 12
        }
        if hour >= 24 { hour -= 24; day += 1 }
        let local = day * 86_400 + hour * 3600 + p.minute * 60 + p.second
        let (instant, offset) = CivilTime.instant(localSeconds: local, zone: zone)
        return DateMention(value: CivilTime.format(instant: instant, offset: offset), grain: p.grain, text: text)
    }

    func word(_ t: [Token], _ i: Int) -> String? { i >= 0 && i < t.count && t[i].kind == .word ? t[i].norm : nil }

    /// Parses one piece at token `i`.
    /// Every word `parse` can start a piece with.
    static let triggerWords: Set<String> = {
        var w: Set<String> = [
            "today", "aaj", "tdy", "todays", "tonight", "tonite", "tonyt", "tomorrow", "kal", "tmrw", "tmr", "tommorow", "tomorow",
            "tommorrow", "tmrow", "tomm", "tomo", "2morrow", "tmw", "parso", "parson", "parsoon", "yesterday", "yday", "ystrdy", "day",
            "noon", "midday", "midnight", "this", "next", "last", "coming", "agle", "agla", "agli", "is", "pichle", "previous", "past", "following",
            "upcoming", "in", "after", "within", "end", "month", "weekend", "the", "week",
        ]
        w.formUnion(ordinalDays.keys)
        w.formUnion(months.keys)
        w.formUnion(weekdays.keys)
        w.formUnion(partsOfDay.keys)
        return w
    }()

    func parse(_ t: [Token], at i: Int, ref: Reference, claimed: [Bool]) -> Piece? {
        let tok = t[i]
        let dateWord = tok.cls.contains(.dateWord)
        let ordinal = tok.cls.contains(.dayOrdinal) || (dateWord && i + 1 < t.count && t[i + 1].cls.contains(.dayOrdinal) && tok.norm == "the")
        if tok.kind == .number || tok.cls.contains(.monthName), let p = parseMixed(t, at: i, ref: ref) { return p }
        if tok.kind == .number || tok.cls.contains(.dayOrdinal) || (dateWord && tok.norm == "week"), let p = parseWeek(t, at: i, ref: ref, claimed: claimed) { return p }
        if ordinal, let p = parseDayWordFirst(t, at: i, ref: ref) { return p }
        if ordinal || (dateWord && tok.norm == "last"), let p = nthWeekday(t, at: i, ref: ref, claimed: claimed) { return p }
        if tok.kind == .number { return parseNumeric(t, at: i, ref: ref, claimed: claimed) }
        if tok.cls.contains(.numberWord), tok.text == "a" || tok.text == "an", let p = span(t, n: 1, unitAt: i + 1, start: i, ref: ref, claimed: claimed) { return p }
        if tok.cls.contains(.numberWord), !tok.cls.contains(.dateWord), let num = NumberReader().read(t, at: i), num.isWords, num.value >= 1, num.value <= 12,
            num.value == num.value.rounded(), let (pm, e) = isAmPm(t, num.end) {
            let h = Int(num.value)
            var p = Piece(start: i, end: e, hour: pm ? (h % 12) + 12 : h % 12, grain: .hour)
            p.clock = true
            p.meridiem = true
            return p
        }
        if tok.cls.contains(.numberWord), !tok.cls.contains(.dateWord), let num = NumberReader().read(t, at: i), num.isWords, num.value >= 1, num.value <= 1000 {
            // "two days from now", "three weeks later", "two weeks ago"
            return span(t, n: num.value, unitAt: num.end, start: i, ref: ref, claimed: claimed)
        }
        guard tok.cls.contains(.dateWord) else { return nil }
        let w = tok.norm
        switch w {
        case "today", "aaj", "tdy", "todays":
            if word(t, i + 1) == "itself" { return Piece(start: i, end: i + 2, day: ref.localDay, grain: .day) }
            return Piece(start: i, end: i + 1, day: ref.localDay, grain: .day)
        case "tonight", "tonite", "tonyt":
            return Piece(start: i, end: i + 1, day: ref.localDay, hour: 20, grain: .hour, partOfDay: true)
        case "tomorrow", "kal", "tmrw", "tmr", "tommorow", "tomorow", "tommorrow", "tmrow", "tomm", "tomo", "2morrow", "tmw":
            if w == "kal" {
                var k = i + 1
                while k < t.count, k <= i + 5, t[k].kind != .punct {
                    if DateReader.pastTenseWords.contains(t[k].norm) {
                        return Piece(start: i, end: i + 1, day: ref.localDay - 1, grain: .day)
                    }
                    k += 1
                }
            }
            return Piece(start: i, end: i + 1, day: ref.localDay + 1, grain: .day)
        case "parso", "parson", "parsoon":
            return Piece(start: i, end: i + 1, day: ref.localDay + 2, grain: .day)
        case "yesterday", "yday", "ystrdy":
            return Piece(start: i, end: i + 1, day: ref.localDay - 1, grain: .day)
        case "day":
            // "day after tomorrow", "day before yesterday"
            if word(t, i + 1) == "after", let n = word(t, i + 2), DateReader.tomorrowWords.contains(n) {
                return Piece(start: i, end: i + 3, day: ref.localDay + 2, grain: .day)
            }
            if word(t, i + 1) == "before", word(t, i + 2) == "yesterday" {
                return Piece(start: i, end: i + 3, day: ref.localDay - 2, grain: .day)
            }
            // "the day after", "the day before": the neighbour of today.
            if word(t, i - 1) == "the", let w = word(t, i + 1), w == "after" || w == "before", i + 2 >= t.count || t[i + 2].kind == .punct {
                return Piece(start: i - 1, end: i + 2, day: ref.localDay + (w == "after" ? 1 : -1), grain: .day)
            }
            return nil
        case "noon", "midday":
            var p = Piece(start: i, end: i + 1, hour: 12, grain: .hour)
            p.clock = true
            return p
        case "midnight":
            var p = Piece(start: i, end: i + 1, day: ref.localDay + 1, hour: 0, grain: .hour)
            p.clock = true
            return p
        case "this", "next", "last", "coming", "agle", "agla", "agli", "is", "pichle", "previous", "upcoming", "past", "following":
            return parseModified(t, at: i, ref: ref)
        case "in", "after", "within":
            return parseIn(t, at: i, ref: ref)
        case "end":
            // "end of the month/week/year"
            var j = i + 1
            if word(t, j) == "of" { j += 1 }
            if word(t, j) == "the" || word(t, j) == "this" { j += 1 }
            guard let unit = word(t, j) else { return nil }
            switch unit {
            case "month":
                let days = CivilTime.daysInMonth(year: ref.year, month: ref.month)
                return Piece(start: i, end: j + 1, day: CivilTime.days(year: ref.year, month: ref.month, day: days), grain: .day)
            case "week":
                let delta = (7 - ref.weekday) % 7 // Sunday
                return Piece(start: i, end: j + 1, day: ref.localDay + delta, grain: .day)
            case "year":
                return Piece(start: i, end: j + 1, day: CivilTime.days(year: ref.year, month: 12, day: 31), grain: .day)
            default: return nil
            }
        case "month":
            if word(t, i + 1) == "end" {
                let days = CivilTime.daysInMonth(year: ref.year, month: ref.month)
                return Piece(start: i, end: i + 2, day: CivilTime.days(year: ref.year, month: ref.month, day: days), grain: .day)
            }
            return nil
        case "weekend":
            guard i > 0, DateReader.weekendLead.contains(t[i - 1].norm) else { return nil }
            return Piece(start: i, end: i + 1, day: ref.localDay + fridayDelta(ref), hour: 18, grain: .hour)
        case "the" where i + 1 < t.count && t[i + 1].kind == .word && (t[i + 1].cls.contains(.dayOrdinal) || t[i + 1].cls.contains(.numberWord)):
            // "for the twenty second", "for the thirty": a day of the month in words, alone.
            guard let (d, e) = dayWord(t, at: i + 1, cardinals: true), e >= t.count || t[e].kind == .punct, i > 0, DateReader.dayOfMonthLead.contains(t[i - 1].norm) else { return nil }
            return nextDayOfMonth(d, start: i, end: e, ref: ref)
        case "the":
            // "the 3rd", "the 25th of October"
            guard i + 1 < t.count, t[i + 1].kind == .number else { return nil }
            guard var p = parseNumeric(t, at: i + 1, ref: ref, claimed: claimed), p.day != nil else { return nil }
            if p.end < t.count, t[p.end].kind == .word, DateReader.months[t[p.end].norm] == nil, !DateReader.connectors.contains(t[p.end].norm),
                !DateReader.afterDayWords.contains(t[p.end].norm) { return nil }
            p.start = i
            return p
        default:
            break
        }
        if let wd = DateReader.weekdays[t[i].text], t[i].end - t[i].start == t[i].text.utf8.count, !(w == "sat" && word(t, i + 1) == "sri"), word(t, i - 1) != "black", word(t, i - 1) != "cyber" {
            // Short forms that are also words ("sat", "sun", "wed", "mon") need a capital or "on".
            if w.utf8.count <= 4, !t[i].hasUpper, word(t, i - 1) != "on", !DateReader.unmistakableShortWeekdays.contains(w) { return nil }
            if let dated = weekdayWithDay(t, weekday: wd, at: i, ref: ref) { return dated }
            // "Friday, March 15": the date says it all.
            if let next = i + 1 < t.count && t[i + 1].isPunct(",") ? i + 2 : Optional(i + 1), next < t.count, t[next].kind == .word || t[next].kind == .number,
                next > i + 1 || t[next].kind == .word, var dated = parse(t, at: next, ref: ref, claimed: claimed), dated.isDay, dated.start == next {
                dated.start = i
                return dated
            }
            var p = Piece(start: i, end: i + 1, day: ref.localDay + weekdayDelta(ref, wd, mode: "bare"), grain: .day)
            if i + 1 < t.count, let pd = DateReader.partsOfDay[t[i + 1].norm] { p.hour = pd; p.grain = .hour; p.partOfDay = true; p.end = i + 2 }
            return p
        }
        if let month = DateReader.months[w], !(w == "may" || w == "mar") || (i + 1 < t.count && t[i + 1].kind == .number) || t[i].hasUpper {
            return parseMonthFirst(t, at: i, month: month, ref: ref)
        }
        if let pd = DateReader.partsOfDay[w] {
            if pd == 12 { var p = Piece(start: i, end: i + 1, hour: 12, grain: .hour); p.clock = true; return p }
            if i > 0, t[i - 1].norm == "every" || t[i - 1].norm == "good" { return nil }
            // "in the morning" attaches to a clock time or a day; alone it means today.
            return Piece(start: i, end: i + 1, hour: pd, grain: .hour, partOfDay: true)
        }
        return nil
    }

    /// Days to the Friday that starts the weekend under way or coming (a weekend starts Friday 18:00).
    private func fridayDelta(_ ref: Reference) -> Int { ref.weekday == 6 ? -1 : (ref.weekday == 0 ? -2 : 5 - ref.weekday) }

    /// Days from the reference day to the weekday `wd` (0 = Sunday).
    private func weekdayDelta(_ ref: Reference, _ wd: Int, mode: String) -> Int {
        let delta = (wd - ref.weekday + 7) % 7
        switch mode {
        case "this": return delta
        case "next":
            // The one in next week (weeks start on Monday).
            let todayIndex = (ref.weekday + 6) % 7
            let targetIndex = (wd + 6) % 7
            return 7 - todayIndex + targetIndex
        case "last": return delta == 0 ? -7 : delta - 7
        default: return delta == 0 ? 7 : delta
        }
    }

    private func parseModified(_ t: [Token], at i: Int, ref: Reference) -> Piece? {
        let m = t[i].norm
        guard let unit = word(t, i + 1) else { return nil }
        let mode: String
        switch m {
        case "next", "agle", "agla", "agli", "following": mode = "next"
        case "last", "pichle", "previous", "past": mode = "last"
        case "coming", "upcoming": mode = "this"
        default: mode = "this"
        }
        if (unit == "may" || unit == "mar"), !t[i + 1].hasUpper { return nil }
        if m == "is", DateReader.weekdays[unit] == nil, !DateReader.afterThisUnits.contains(unit) { return nil }
        if let wd = DateReader.weekdays[unit] {
            var p = Piece(start: i, end: i + 2, day: ref.localDay + weekdayDelta(ref, wd, mode: m == "coming" || m == "upcoming" ? "bare" : mode), grain: .day)
            if i + 2 < t.count, let pd = DateReader.partsOfDay[t[i + 2].norm] { p.hour = pd; p.grain = .hour; p.partOfDay = true; p.end = i + 3 }
            return p
        }
        if let pd = DateReader.partsOfDay[unit], mode == "this" {
            return Piece(start: i, end: i + 2, day: ref.localDay, hour: pd, grain: .hour, partOfDay: true)
        }
        let mondayThisWeek = ref.localDay - (ref.weekday + 6) % 7
        switch unit {
        case "day":
            // "next day", "the last day", "this day"
            if i + 2 < t.count, t[i + 2].kind == .word, !Words.function.contains(t[i + 2].norm) { return nil }
            return Piece(start: i, end: i + 2, day: ref.localDay + (mode == "next" ? 1 : (mode == "last" ? -1 : 0)), grain: .day)
        case "week", "hafte", "hafta", "week's":
            let shift = mode == "next" ? 7 : (mode == "last" ? -7 : 0)
            return Piece(start: i, end: i + 2, day: mondayThisWeek + shift, grain: .week)
        case "weekend":
            let friday = ref.localDay + fridayDelta(ref)
            let shift = mode == "next" ? 7 : (mode == "last" ? -7 : 0)
            return Piece(start: i, end: i + 2, day: friday + shift, hour: 18, grain: .hour)
        case "month", "mahine", "mahina":
            var y = ref.year
            var mo = ref.month + (mode == "next" ? 1 : (mode == "last" ? -1 : 0))
            if mo > 12 { mo = 1; y += 1 }
            if mo < 1 { mo = 12; y -= 1 }
            return Piece(start: i, end: i + 2, day: CivilTime.days(year: y, month: mo, day: 1), grain: .month)
        case "year", "saal":
            let y = ref.year + (mode == "next" ? 1 : (mode == "last" ? -1 : 0))
            return Piece(start: i, end: i + 2, day: CivilTime.days(year: y, month: 1, day: 1), grain: .year)
        default:
            if let month = DateReader.months[unit] {
                var y = ref.year
                if mode == "next", month <= ref.month { y += 1 }
                if mode == "last", month >= ref.month { y -= 1 }
                return Piece(start: i, end: i + 2, day: CivilTime.days(year: y, month: month, day: 1), grain: .month)
            }
            return nil
        }
    }

    /// Units of a span counted from now: the moment is exact, so its grain is the second.
    static let unitSeconds: [String: (Int, DateGrain)] = [
        "second": (1, .second), "seconds": (1, .second), "sec": (1, .second), "secs": (1, .second),
        "minute": (60, .second), "minutes": (60, .second), "min": (60, .second), "mins": (60, .second),
        "hour": (3600, .second), "hours": (3600, .second), "hr": (3600, .second), "hrs": (3600, .second), "ghante": (3600, .second), "ghanta": (3600, .second),
    ]
    static let unitDays: [String: (Int, DateGrain)] = [
        "day": (1, .day), "days": (1, .day), "din": (1, .day), "dino": (1, .day), "week": (7, .week), "weeks": (7, .week),
        "month": (30, .month), "months": (30, .month), "year": (365, .year), "years": (365, .year),
    ]

    /// "in 2 days", "after 3 hours", "in a week", "within 2 days".
    private func parseIn(_ t: [Token], at i: Int, ref: Reference) -> Piece? {
        var j = i + 1
        var n = 1.0
        if j < t.count, let num = NumberReader().read(t, at: j), num.value > 0, num.value <= 1000 {
            n = num.value; j = num.end
        } else if let w = word(t, j), w == "a" || w == "an" || w == "one", t[i].norm != "after" {
            j += 1
        } else { return nil }
        guard let u = word(t, j) else { return nil }
        return relative(n: n, unit: u, start: i, end: j + 1, ref: ref)
    }

    /// A span counted from now or from another date: "3 days later", "2 weeks ago",
    /// "4 days from tomorrow", "two months after next Friday", "2 weeks before May 13".
    private func span(_ t: [Token], n: Double, unitAt j: Int, start i: Int, ref: Reference, claimed: [Bool]) -> Piece? {
        guard let u = word(t, j), DateReader.unitDays[u] != nil || DateReader.unitSeconds[u] != nil, let next = word(t, j + 1) else { return nil }
        if DateReader.laterWords.contains(next) { return relative(n: n, unit: u, start: i, end: j + 2, ref: ref) }
        if next == "ago" || next == "back" || next == "pehle" { return relative(n: -n, unit: u, start: i, end: j + 2, ref: ref) }
        guard next == "from" || next == "after" || next == "before", j + 2 < t.count else { return nil }
        let sign = next == "before" ? -1.0 : 1.0
        if word(t, j + 2) == "now" { return relative(n: sign * n, unit: u, start: i, end: j + 3, ref: ref) }
        guard DateReader.unitDays[u] != nil, !claimed[j + 2], let anchor = parseMerged(t, at: j + 2, ref: ref, claimed: claimed), let d = anchor.day,
            anchor.instant == nil else { return nil }
        let (y, m, dd) = CivilTime.civil(days: d)
        let from = Reference(instant: ref.instant, localDay: d, localSeconds: 0, year: y, month: m, dayOfMonth: dd, weekday: CivilTime.weekday(days: d))
        return relative(n: sign * n, unit: u, start: i, end: anchor.end, ref: from)
    }

    private func relative(n: Double, unit u: String, start: Int, end: Int, ref: Reference) -> Piece? {
        if let (secs, grain) = DateReader.unitSeconds[u] {
            return Piece(start: start, end: end, grain: grain, instant: ref.instant + Int(n * Double(secs)))
        }
        if let (days, grain) = DateReader.unitDays[u] {
            let whole = Int(n)
            if grain == .month {
                var mo = ref.month + whole
                var y = ref.year
                while mo > 12 { mo -= 12; y += 1 }
                while mo < 1 { mo += 12; y -= 1 }
                let d = min(ref.dayOfMonth, CivilTime.daysInMonth(year: y, month: mo))
                return Piece(start: start, end: end, day: CivilTime.days(year: y, month: mo, day: d), grain: .day)
            }
            if grain == .year {
                let y = ref.year + whole
                let d = min(ref.dayOfMonth, CivilTime.daysInMonth(year: y, month: ref.month))
                return Piece(start: start, end: end, day: CivilTime.days(year: y, month: ref.month, day: d), grain: .day)
            }
            return Piece(start: start, end: end, day: ref.localDay + whole * days, grain: .day)
        }
        return nil
    }

    func isAmPm(_ t: [Token], _ j: Int) -> (pm: Bool, end: Int)? {
        guard j < t.count, t[j].kind == .word else { return nil }
        if j + 1 < t.count, !t[j + 1].spaceBefore, t[j + 1].kind == .word || t[j + 1].kind == .number { return nil }
        switch t[j].text {
        case "am": return (false, j + 1)
        case "pm": return (true, j + 1)
        case "a", "p":
            // "p.m." / "a.m."
            if j + 2 < t.count, t[j + 1].isPunct("."), t[j + 2].text == "m" {
                var e = j + 3
                if e < t.count, t[e].isPunct("."), !t[e].spaceBefore { e += 1 }
                return (t[j].text == "p", e)
            }
            // "a m", "p . m ."
            if j + 1 < t.count, t[j + 1].text == "m", t[j + 1].spaceBefore { return (t[j].text == "p", j + 2) }
            if j + 2 < t.count, t[j + 1].isPunct("."), t[j + 2].text == "m" {
                var e = j + 3
                if e < t.count, t[e].isPunct(".") { e += 1 }
                return (t[j].text == "p", e)
            }
            // "9p", "8:45a": a lone letter glued to the time.
            if !t[j].spaceBefore, j > 0, t[j - 1].kind == .number { return (t[j].text == "p", j + 1) }
            return nil
        default: return nil
        }
    }

    private func parseNumeric(_ t: [Token], at i: Int, ref: Reference, claimed: [Bool]) -> Piece? {
        let a = t[i]
        guard let av = DateReader.leadingValue(a.text, digits: 9) else { return nil }
        let alen = a.text.utf8.count
        // Preceded by a currency or part of a bigger number: not a date.
        if i > 0, t[i - 1].kind == .currency || (t[i - 1].isPunct(".") && !a.spaceBefore) || (t[i - 1].isPunct(",") && !a.spaceBefore) { return nil }
        // h:mm
        if i + 2 < t.count, t[i + 1].isPunct(":") || (t[i + 1].isPunct(".") && isAmPm(t, i + 3) != nil), !t[i + 1].spaceBefore, t[i + 2].isNumber, !t[i + 2].spaceBefore,
            t[i + 2].text.utf8.count == 2, let mv = Int(t[i + 2].text), mv < 60, av < 24, alen <= 2 {
            var end = i + 3
            var seconds: Int?
            if end + 1 < t.count, t[end].isPunct(":"), !t[end].spaceBefore, t[end + 1].isNumber, t[end + 1].text.utf8.count == 2, let sv = Int(t[end + 1].text), sv < 60 {
                seconds = sv; end += 2
            }
            var h = av
            var ambiguous = av <= 12
            var written = false
            if let (pm, e) = isAmPm(t, end) {
                if h > 12 { return nil }
                h = pm ? (h % 12) + 12 : h % 12
                end = e
                ambiguous = false
                written = true
            } else if end < t.count, t[end].norm == "baje" || t[end].norm == "bje" { end += 1 }
            // "17:30" is unambiguous; "5:30" alone is read as business hours.
            if ambiguous, h >= 8 || h == 0 { ambiguous = false }
            var p = Piece(start: i, end: end, hour: h, minute: mv, grain: seconds == nil ? .minute : .second)
            p.second = seconds ?? 0
            p.ambiguousHour = ambiguous
            p.meridiem = written
            p.clock = true
            applyPrefixPart(t, i, &p)
            return p
        }
        // 5pm / 5 pm / 5 p.m.
        if av >= 1, av <= 12, alen <= 2, let (pm, e) = isAmPm(t, i + 1) {
            var p = Piece(start: i, end: e, hour: pm ? (av % 12) + 12 : av % 12, grain: .hour)
            p.ambiguousHour = false
            p.meridiem = true
            p.clock = true
            return p
        }
        // 5 baje, 5 o'clock
        if av <= 24, alen <= 2, let w = word(t, i + 1), DateReader.oclockWords.contains(w) {
            var p = Piece(start: i, end: i + 2, hour: av % 24, grain: .hour)
            p.clock = true
            p.ambiguousHour = av <= 12
            if av >= 8 && av <= 12 { p.ambiguousHour = false }
            applyPrefixPart(t, i, &p)
            return p
        }
        // Numeric dates: d/m[/y], d-m-y, d.m.y, y-m-d
        if i + 2 < t.count, let sep = t[i + 1].kind == .punct ? t[i + 1].byte : nil,
            sep == UInt8(ascii: "/") || sep == UInt8(ascii: "-") || sep == UInt8(ascii: "."),
            !t[i + 1].spaceBefore, t[i + 2].isNumber, !t[i + 2].spaceBefore, let bv = DateReader.leadingValue(t[i + 2].text, digits: 9) {
            var end = i + 3
            var year: Int?
            if end + 1 < t.count, t[end].kind == .punct, t[end].byte == sep, !t[end].spaceBefore, t[end + 1].isNumber, !t[end + 1].spaceBefore {
                let c = t[end + 1].text
                if let cv = DateReader.leadingValue(c, digits: 9), c.utf8.count == 4 || c.utf8.count == 2 {
                    // Two digits: this century up to twenty years ahead, else the last one.
                    year = c.utf8.count == 2 ? (cv <= ref.year % 100 + 20 ? 2000 + cv : 1900 + cv) : cv
                    end += 2
                }
            }
            if end < t.count, (t[end].isNumber || t[end].kind == .word) && !t[end].spaceBefore { return nil }
            if end + 1 < t.count, t[end].isPunct("."), !t[end].spaceBefore, t[end + 1].isNumber, !t[end + 1].spaceBefore { return nil }
            if alen == 4, let y = Optional(av), let yv = year {
                // y-m-d: year came first, the "year" slot holds the day.
                let dd = yv >= 2000 ? yv - 2000 : yv
                let c = t[i + 4].text
                guard c.utf8.count <= 2, CivilTime.isValid(year: y, month: bv, day: dd) else { return nil }
                return Piece(start: i, end: end, day: CivilTime.days(year: y, month: bv, day: dd), grain: .day)
            }
            guard alen <= 2, t[i + 2].text.utf8.count <= 2 else { return nil }
            if year == nil {
                if sep == UInt8(ascii: ".") { return nil } // 2.5 is a decimal
                if sep == UInt8(ascii: "/"), av < bv, Self.fractionLead(t, before: i) { return nil } // -3/8, 1 2/3
                if sep == UInt8(ascii: "-") && !(i > 0 && DateReader.dashDateLead.contains(t[i - 1].norm)) { return nil } // ranges like 20-30
                if av == 24 && bv == 7 { return nil } // 24/7
                if (i > 0 && DateReader.ratingLead.contains(t[i - 1].norm))
                    || (i > 1 && DateReader.ratingLeadTwoBack.contains(t[i - 2].norm)) { return nil }
                if i + 3 < t.count, t[i + 3].kind == .word, DateReader.measureUnits.contains(t[i + 3].norm) { return nil }
            }
            var d = av, mo = bv
            if usOrder && av <= 12 { d = bv; mo = av }
            if mo > 12 && d <= 12 { swap(&d, &mo) }
            var y = year ?? ref.year
            guard CivilTime.isValid(year: y, month: mo, day: d) else { return nil }
            if year == nil, CivilTime.days(year: y, month: mo, day: d) < ref.localDay - 31 { y += 1 }
            guard CivilTime.isValid(year: y, month: mo, day: d) else { return nil }
            var p = Piece(start: i, end: end, day: CivilTime.days(year: y, month: mo, day: d), grain: .day)
            p.yearWritten = year != nil
            return p
        }
        // 25th Oct, 25 October 2025, 3rd, 25th of October
        var j = i + 1
        var ordinal = false
        if j < t.count, t[j].kind == .word, DateReader.ordinalSuffix.contains(t[j].text), !t[j].spaceBefore { ordinal = true; j += 1 }
        if av >= 1, av <= 31, alen <= 2 {
            var k = j
            if word(t, k) == "of" { k += 1 }
            if let mw = word(t, k), let month = DateReader.months[mw] {
                var end = k + 1
                if end < t.count, t[end].isPunct("."), !t[end].spaceBefore { end += 1 }
                var y: Int?
                var yk = end
                if yk < t.count, t[yk].isPunct(",") || t[yk].norm == "of" || t[yk].norm == "in" { yk += 1 }
                if yk < t.count, t[yk].isNumber, t[yk].text.utf8.count == 4, let yv = Int(t[yk].text), yv >= 1000, yv <= 2999 { y = yv; end = yk + 1 }
                else if let (yv, e) = yearWords(t, at: yk) { y = yv; end = e }
                return absolute(day: av, month: month, year: y, start: i, end: end, ref: ref)
            }
            if ordinal, i > 0, DateReader.ordinalDayLead.contains(t[i - 1].norm) || word(t, i - 1) == nil {
                // "on the 3rd": the next such day of month (not "the 4th floor")
                if j < t.count, t[j].kind == .word, !DateReader.connectors.contains(t[j].norm), !DateReader.ordinalDayFollowers.contains(t[j].norm),
                    DateReader.partsOfDay[t[j].norm] == nil { return nil }
                return nextDayOfMonth(av, start: i, end: j, ref: ref)
            }
            // "for the 27", "on 15": a bare day of the month that ends the phrase.
            if !ordinal, i > 0, (t[i - 1].norm == "the" && i > 1 && DateReader.dayOfMonthLead.contains(t[i - 2].norm)) || t[i - 1].norm == "on",
                j >= t.count || (t[j].kind == .punct && !(t[j].isPunct(".") && j + 1 < t.count && t[j + 1].isNumber) && !t[j].isPunct(":") && !t[j].isPunct("/") && !t[j].isPunct("-")) {
                return nextDayOfMonth(av, start: t[i - 1].norm == "the" ? i - 1 : i, end: j, ref: ref)
            }
        }
        // "20161016": a compact year, month and day.
        if alen == 8, let y = Int(a.text.prefix(4)), let mo = Int(a.text.dropFirst(4).prefix(2)), let d = Int(a.text.suffix(2)), y >= 1900, y <= 2099,
            CivilTime.isValid(year: y, month: mo, day: d), i + 1 >= t.count || t[i + 1].kind != .number {
            var p = Piece(start: i, end: i + 1, day: CivilTime.days(year: y, month: mo, day: d), grain: .day)
            p.yearWritten = true
            return p
        }
        // "2 din baad", "3 days later", "2 days from now", "2 weeks ago", "3 days after Friday"
        if av <= 1000, let p = span(t, n: Double(av), unitAt: j, start: i, ref: ref, claimed: claimed) { return p }
        // "at 5", "by 6", "around 7" followed by nothing time-unrelated
        if av >= 1, av <= 12, alen <= 2, i > 0, DateReader.bareHourLead.contains(t[i - 1].norm) {
            if let nw = word(t, i + 1), !(DateReader.partsOfDay[nw] != nil || DateReader.bareHourFollowers.contains(nw)) { return nil }
            if i + 1 < t.count, !t[i + 1].spaceBefore, !t[i + 1].isPunct(","), !t[i + 1].isPunct("."), !t[i + 1].isPunct("?"), !t[i + 1].isPunct("!") { return nil }
            var p = Piece(start: i, end: i + 1, hour: av, grain: .hour)
            p.clock = true
            p.ambiguousHour = true
            if av >= 8 && av <= 11 { p.ambiguousHour = false }
            return p
        }
        return nil
    }

    /// "shaam 6 baje", "evening 6": a part-of-day word right before the time fixes am/pm.
    private func applyPrefixPart(_ t: [Token], _ i: Int, _ p: inout Piece) {
        guard i > 0, let pd = DateReader.partsOfDay[t[i - 1].norm], let h = p.hour, h < 12 else { return }
        if pd >= 12 { p.hour = h + 12 }
        p.ambiguousHour = false
        p.start = i - 1
    }

    private func absolute(day: Int, month: Int, year: Int?, start: Int, end: Int, ref: Reference) -> Piece? {
        var y = year ?? ref.year
        guard CivilTime.isValid(year: y, month: month, day: day) || (year == nil && CivilTime.isValid(year: y + 1, month: month, day: day)) else { return nil }
        if year == nil, !CivilTime.isValid(year: y, month: month, day: day) || CivilTime.days(year: y, month: month, day: day) < ref.localDay - 31 { y += 1 }
        guard CivilTime.isValid(year: y, month: month, day: day) else { return nil }
        var p = Piece(start: start, end: end, day: CivilTime.days(year: y, month: month, day: day), grain: .day)
        p.yearWritten = year != nil
        return p
    }

    /// "Oct 25", "October 25th, 2025", "in December".
    private func parseMonthFirst(_ t: [Token], at i: Int, month: Int, ref: Reference) -> Piece? {
        var j = i + 1
        if j < t.count, t[j].isPunct("."), !t[j].spaceBefore { j += 1 }
        // "May twenty nine", "september the twenty-first"
        let dayAt = word(t, j) == "the" ? j + 1 : j
        if yearWords(t, at: j) == nil, let (d, e) = dayWord(t, at: dayAt, cardinals: true) { return withYear(day: d, month: month, start: i, end: e, t, ref: ref) }
        if j < t.count, t[j].isNumber, let d = DateReader.leadingValue(t[j].text, digits: 4), t[j].text.utf8.count <= 2, d >= 1, d <= 31 {
            var end = j + 1
            if end < t.count, t[end].kind == .word, DateReader.ordinalSuffix.contains(t[end].text), !t[end].spaceBefore { end += 1 }
            var y: Int?
            var yk = end
            if yk < t.count, t[yk].isPunct(",") || t[yk].norm == "of" || t[yk].norm == "in" { yk += 1 }
            if yk < t.count, t[yk].isNumber, t[yk].text.utf8.count == 4, let yv = Int(t[yk].text), yv >= 1000, yv <= 2999 { y = yv; end = yk + 1 }
            else if let (yv, e) = yearWords(t, at: yk) { y = yv; end = e }
            // "Oct 25 kg"? not a thing; "may 2" could be the verb "may": require capital or a clear day.
            return absolute(day: d, month: month, year: y, start: i, end: end, ref: ref)
        }
        var yj = j
        if yj < t.count, t[yj].isPunct(",") || t[yj].norm == "of" || t[yj].norm == "in" { yj += 1 }
        if let (yv, e) = yearWords(t, at: yj) {
            var p = Piece(start: i, end: e, day: CivilTime.days(year: yv, month: month, day: 1), grain: .month)
            p.yearWritten = true
            return p
        }
        if yj < t.count, t[yj].isNumber, t[yj].text.utf8.count == 4, let yv = Int(t[yj].text), yv >= 1000, yv <= 2999 {
            var p = Piece(start: i, end: yj + 1, day: CivilTime.days(year: yv, month: month, day: 1), grain: .month)
            p.yearWritten = true
            return p
        }
        // A bare month name after "in"/"by"/"till"/"for", or a capitalised full name: the next such month.
        if (i > 0 && DateReader.bareMonthLead.contains(t[i - 1].norm) && t[i].text.utf8.count >= 3)
            || (t[i].hasUpper && t[i].text.utf8.count >= 6 && i > 0 && t[i - 1].kind == .word) {
            let y = month < ref.month ? ref.year + 1 : ref.year
            return Piece(start: i, end: i + 1, day: CivilTime.days(year: y, month: month, day: 1), grain: .month)
        }
        return nil
    }
}

extension DateGrain {
    var isDayOrFiner: Bool { self == .day || self == .hour || self == .minute || self == .second }
}
