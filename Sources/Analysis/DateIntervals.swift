/// Intervals, reported by their start: the start borrows what only the end says
/// ("5 to 6pm" starts at 17:00, "between 3 and 12 of Sept" on 3 September, "Nov-Feb 2017"
/// in November 2016, "26 June to 28 June 2020" in 2020).
extension DateReader {
    /// A bare start of an interval, no date on its own.
    enum Fragment {
        /// A day of the month or a clock hour: "3", "4th", "5", "2:30", "7pm".
        case number(Int, minute: Int?, pm: Bool?)
        case month(Int)
        case year(Int)
    }

    static let rangeWords: Set<String> = ["to", "till", "until", "through", "thru", "til", "untill"]

    /// What a bare start may be, when it is no date on its own.
    func fragment(_ t: [Token], at i: Int) -> (Fragment, Int)? {
        guard t[i].kind == .number || t[i].cls.contains(.monthName) else { return nil }
        if t[i].kind == .number, let v = DateReader.leadingValue(t[i].text, digits: 5) {
            let len = t[i].text.utf8.count
            if len == 4, v >= 1000, v <= 2999 { return (.year(v), i + 1) }
            guard len <= 2, v >= 0, v <= 31 else { return nil }
            var j = i + 1
            var minute: Int?
            if j < t.count, t[j].kind == .word, DateReader.ordinalSuffix.contains(t[j].text), !t[j].spaceBefore { j += 1 }
            if j + 1 < t.count, t[j].isPunct(":"), !t[j].spaceBefore, t[j + 1].kind == .number, t[j + 1].text.utf8.count == 2, let m = Int(t[j + 1].text), m < 60 {
                minute = m; j += 2
            }
            if let (pm, e) = isAmPm(t, j), v <= 12 { return (.number(v, minute: minute, pm: pm), e) }
            return (.number(v, minute: minute, pm: nil), j)
        }
        if let m = DateReader.months[t[i].norm], t[i].text != "may" || t[i].hasUpper, t[i].text != "mar" || t[i].hasUpper {
            return (.month(m), i + 1)
        }
        return nil
    }

    /// The start of an interval written at `i` (completed from its end) and its end.
    func interval(_ t: [Token], at i: Int, single: Piece?, ref: Reference, claimed: [Bool]) -> (start: Piece, end: Piece)? {
        let frag = single == nil ? fragment(t, at: i) : nil
        guard let aEnd = single?.end ?? frag?.1, aEnd < t.count else { return nil }
        let between = (max(0, i - 2)..<i).contains { t[$0].norm == "between" }
        var j = aEnd
        if t[j].isPunct(",") { return nil }
        if DateReader.rangeWords.contains(t[j].norm) || t[j].isPunct("-") || t[j].isPunct("~") || (between && t[j].norm == "and") {
            j += 1
        } else {
            return nil
        }
        guard j < t.count, !claimed[j] else { return nil }
        let end: Piece
        if let b = parseMerged(t, at: j, ref: ref, claimed: claimed) {
            end = b
        } else if let (bf, bEnd) = fragment(t, at: j), let b = standalone(bf, start: j, end: bEnd, ref: ref) {
            end = b
        } else {
            return nil
        }
        var start: Piece
        if let a = single {
            start = a
            // "8am-3 yesterday afternoon": the day comes from the end.
            if start.day == nil, start.instant == nil, let d = end.day { start.day = d }
            // "26 June to 28 June 2020": so does a written year.
            if end.yearWritten, !start.yearWritten, let sd = start.day, let ed = end.day, start.grain == .day || start.grain == .month {
                let (ey, _, _) = CivilTime.civil(days: ed)
                let (_, sm, sdd) = CivilTime.civil(days: sd)
                if CivilTime.isValid(year: ey, month: sm, day: sdd) { start.day = CivilTime.days(year: ey, month: sm, day: sdd) }
            }
        } else if let (f, _) = frag, let s = borrow(f, from: end) {
            start = s
        } else {
            return nil
        }
        start.start = i
        start.end = end.start
        return (start, end)
    }

    /// A fragment as a date of its own, for the end of an interval ("2014 to 2018", "August and October").
    private func standalone(_ f: Fragment, start: Int, end: Int, ref: Reference) -> Piece? {
        switch f {
        case .year(let y):
            return Piece(start: start, end: end, day: CivilTime.days(year: y, month: 1, day: 1), grain: .year)
        case .month(let m):
            let y = m < ref.month ? ref.year + 1 : ref.year
            return Piece(start: start, end: end, day: CivilTime.days(year: y, month: m, day: 1), grain: .month)
        case .number:
            return nil
        }
    }

    /// The start fragment completed with the end's month, year, day or half of the day.
    private func borrow(_ f: Fragment, from b: Piece) -> Piece? {
        switch f {
        case .year(let y):
            guard b.grain == .year else { return nil }
            return Piece(start: 0, end: 0, day: CivilTime.days(year: y, month: 1, day: 1), grain: .year)
        case .month(let m):
            guard let bd = b.day, b.grain == .month || b.grain == .day else { return nil }
            let (by, bm, _) = CivilTime.civil(days: bd)
            let y = m > bm ? by - 1 : by
            return Piece(start: 0, end: 0, day: CivilTime.days(year: y, month: m, day: 1), grain: .month)
        case .number(let n, let minute, let pm):
            if let bh = b.hour, b.clock || b.grain == .hour || b.grain == .minute, n <= 24 {
                var h = n
                if let pm { h = pm ? (n % 12) + 12 : n % 12 } else if bh >= 12, n < 12, n + 12 <= bh { h = n + 12 }
                var p = Piece(start: 0, end: 0, day: b.day, hour: h, minute: minute ?? 0, grain: minute == nil ? .hour : .minute)
                p.clock = true
                p.ambiguousHour = pm == nil && b.ambiguousHour
                return p
            }
            guard minute == nil, pm == nil, let bd = b.day, b.grain == .day, n >= 1 else { return nil }
            let (by, bm, _) = CivilTime.civil(days: bd)
            guard CivilTime.isValid(year: by, month: bm, day: n) else { return nil }
            return Piece(start: 0, end: 0, day: CivilTime.days(year: by, month: bm, day: n), grain: .day)
        }
    }
}
