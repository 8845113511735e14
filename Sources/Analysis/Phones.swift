/// Phone numbers to E.164 with a default region: `+CC`, `00CC`, `011 CC` (from North America),
/// national numbers with trunk zeros, `(0)` after the code, parentheses, spaces, dots, dashes
/// and slashes between groups, and extensions (`x123`, `ext 123`, dropped from the value).
struct PhoneReader: Sendable {
    let plan: PhonePlans.Plan?

    init(country: String) { plan = PhonePlans.regions[country.uppercased()] }

    /// A run of digit groups as written.
    struct Candidate {
        var groups: [[UInt8]] = []
        /// Whether whitespace separates group k from group k - 1.
        var spaced: [Bool] = []
        /// Byte offset where each group starts and ends.
        var starts: [Int] = []
        var ends: [Int] = []
        var plus = false

        var digitCount: Int { groups.reduce(0) { $0 + $1.count } }
    }

    /// Finds phone numbers in `bytes`; `skip` marks bytes of other entities, `veto(range, plus)`
    /// rejects a span (prices, order ids...).
    func scan(_ bytes: [UInt8], skip: (Int) -> Bool, veto: (Range<Int>, Bool) -> Bool) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            let opens = b == UInt8(ascii: "+") || b == UInt8(ascii: "(")
            guard ASCII.isDigit(b) || (opens && i + 1 < n && (ASCII.isDigit(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "+") || bytes[i + 1] == UInt8(ascii: "(") || bytes[i + 1] == UInt8(ascii: " "))) else {
                i += 1; continue
            }
            if i > 0, !PhoneReader.canStart(bytes, at: i) {
                var k = i + 1
                while k < n, ASCII.isAlnum(bytes[k]) { k += 1 }
                i = k
                continue
            }
            if skip(i) { i += 1; continue }
            guard var c = PhoneReader.collect(bytes, from: i) else { i += 1; continue }
            var end = c.ends.last ?? i + 1
            end = PhoneReader.extensionEnd(bytes, after: end)
            if !PhoneReader.cleanTail(bytes, at: end) {
                // "(914) 349-8600 04/21/2020": keep the groups before the last space.
                guard let cut = c.spaced.lastIndex(of: true), cut > 0 else {
                    i = max(end, i + 1)
                    while i < n, ASCII.isAlnum(bytes[i]) { i += 1 }
                    continue
                }
                c.groups.removeSubrange(cut...)
                c.spaced.removeSubrange(cut...)
                c.starts.removeSubrange(cut...)
                c.ends.removeSubrange(cut...)
                end = c.ends.last ?? end
            }
            // No number has more than 15 digits; a longer run (with or without an extension) is something else.
            if c.digitCount >= 7, c.digitCount <= 24, let (number, used) = bestNumber(c) {
                let range = (used.lowerBound == 0 ? i : c.starts[used.lowerBound])..<c.ends[used.upperBound - 1]
                if !veto(range, c.plus) { out.append((number, range)) }
            }
            i = max(end, i + 1)
        }
        return out
    }

    /// Whether a number may start at `i` given the byte before it.
    static func canStart(_ bytes: [UInt8], at i: Int) -> Bool {
        let p = bytes[i - 1]
        let b = bytes[i]
        if ASCII.isLetter(p) { return b == UInt8(ascii: "(") || b == UInt8(ascii: "+") }
        if ASCII.isDigit(p) || p >= 0x80 { return false }
        switch p {
        case UInt8(ascii: ":"): return !(i > 1 && ASCII.isDigit(bytes[i - 2]))
        case UInt8(ascii: "-"):
            // "OFFICE-1(516)…" or "#Name#-(123)…", not "-2208960000" or "E-151673398".
            guard i >= 2 else { return false }
            let q = bytes[i - 2]
            return q == UInt8(ascii: "#") || (i >= 3 && ASCII.isLetter(q) && ASCII.isLetter(bytes[i - 3]))
        case UInt8(ascii: "#"), UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "$"), UInt8(ascii: "/"), UInt8(ascii: "*"),
            UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "^"), UInt8(ascii: ")"), UInt8(ascii: "%"), UInt8(ascii: "&"):
            return false
        default: return true
        }
    }

    /// Reads digit groups and their separators from `start`.
    static func collect(_ bytes: [UInt8], from start: Int) -> Candidate? {
        let n = bytes.count
        var c = Candidate()
        var k = start
        var openParen = false
        func skipSpaces() { while k < n, bytes[k] == UInt8(ascii: " ") { k += 1 } }
        if bytes[k] == UInt8(ascii: "(") { openParen = true; k += 1; skipSpaces() }
        if k < n, bytes[k] == UInt8(ascii: "+") { c.plus = true; k += 1 }
        var spacedBefore = false
        while k < n, ASCII.isDigit(bytes[k]) {
            let s = k
            while k < n, ASCII.isDigit(bytes[k]) { k += 1 }
            let group = Array(bytes[s..<k])
            // Checks that need both neighbours of a separator.
            if let last = c.groups.last, let sep = separatorByte(bytes, c.ends[c.ends.count - 1]..<s) {
                if sep == UInt8(ascii: "."), last.count > 4 || group.count > 4 { break }
                if sep == UInt8(ascii: "/"), last.count < 3 || group.count < 5 { break }
            }
            c.groups.append(group)
            c.spaced.append(spacedBefore)
            c.starts.append(s)
            c.ends.append(k)
            // A separator: at most two spaces, one of - . /, and parentheses.
            var e = k
            var spaces = 0, punct = 0, closes = 0, opens = 0
            spacedBefore = false
            while e < n, e - k < 5 {
                let ch = bytes[e]
                if ch == UInt8(ascii: " ") { spaces += 1 } else if ch == UInt8(ascii: "-") || ch == UInt8(ascii: ".") || ch == UInt8(ascii: "/") {
                    punct += 1
                } else if ch == UInt8(ascii: ")") {
                    // "123)456-7890" closes a parenthesis never opened, right after the first group.
                    guard openParen || (c.groups.count == 1 && opens == 0) else { return c }
                    openParen = false; closes += 1
                } else if ch == UInt8(ascii: "(") {
                    guard !openParen else { return c }
                    openParen = true; opens += 1
                } else { break }
                e += 1
            }
            guard e > k, e < n, ASCII.isDigit(bytes[e]), spaces <= 2, punct <= 1, closes <= 1, opens <= 1 else { break }
            spacedBefore = spaces > 0
            k = e
        }
        return c.groups.isEmpty ? nil : c
    }

    /// The one punctuation byte between two groups, if any.
    private static func separatorByte(_ bytes: [UInt8], _ r: Range<Int>) -> UInt8? {
        for k in r where bytes[k] == UInt8(ascii: "-") || bytes[k] == UInt8(ascii: ".") || bytes[k] == UInt8(ascii: "/") { return bytes[k] }
        return nil
    }

    /// The end of an extension written after the number ("x470", " ext. 12"), or `end`.
    static func extensionEnd(_ bytes: [UInt8], after end: Int) -> Int {
        let n = bytes.count
        var k = end
        if k < n, bytes[k] == UInt8(ascii: " ") { k += 1 }
        guard k < n, ASCII.lower(bytes[k]) == UInt8(ascii: "x") || ASCII.lower(bytes[k]) == UInt8(ascii: "e") else { return end }
        if ASCII.lower(bytes[k]) == UInt8(ascii: "e") {
            guard k + 2 < n, ASCII.lower(bytes[k + 1]) == UInt8(ascii: "x"), ASCII.lower(bytes[k + 2]) == UInt8(ascii: "t") else { return end }
            k += 3
            if k < n, ASCII.lower(bytes[k]) == UInt8(ascii: "n") { k += 1 }
        } else {
            k += 1
        }
        while k < n, bytes[k] == UInt8(ascii: ".") || bytes[k] == UInt8(ascii: " ") || bytes[k] == UInt8(ascii: ":") { k += 1 }
        let s = k
        while k < n, ASCII.isDigit(bytes[k]), k - s < 7 { k += 1 }
        guard k > s, k - s <= 6, !(k < n && ASCII.isAlnum(bytes[k])) else { return end }
        return k
    }

    /// Whether the number may end at `end`: no letter, digit or arithmetic glued to it.
    static func cleanTail(_ bytes: [UInt8], at end: Int) -> Bool {
        guard end < bytes.count else { return true }
        let b = bytes[end]
        if ASCII.isAlnum(b) { return false }
        let glued: [UInt8] = [UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "="), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "^"), UInt8(ascii: "%")]
        if glued.contains(b), end + 1 < bytes.count, ASCII.isDigit(bytes[end + 1]) || b == UInt8(ascii: "=") || b == UInt8(ascii: "%") { return false }
        if b == UInt8(ascii: "."), end + 1 < bytes.count, ASCII.isDigit(bytes[end + 1]) { return false }
        return true
    }

    /// The best E.164 reading of a candidate and the groups it used: all of them, else the
    /// groups after or before a space ("qty 5 98765 43210").
    private func bestNumber(_ c: Candidate) -> (String, Range<Int>)? {
        let all = 0..<c.groups.count
        if let e = read(c, all) { return (e, all) }
        guard c.groups.count > 1, c.groups.count <= 12, !c.plus else { return nil }
        for a in 1..<c.groups.count where c.spaced[a] {
            let r = a..<c.groups.count
            if c.groups[r].reduce(0, { $0 + $1.count }) >= 7, let e = read(c, r) { return (e, r) }
        }
        for b in stride(from: c.groups.count - 1, to: 0, by: -1) where c.spaced[b] {
            let r = 0..<b
            if c.groups[r].reduce(0, { $0 + $1.count }) >= 7, let e = read(c, r) { return (e, r) }
        }
        return nil
    }

    private func read(_ c: Candidate, _ r: Range<Int>) -> String? {
        let groups = c.groups[r].map { String(decoding: $0, as: UTF8.self) }
        let digits = groups.joined()
        let plus = c.plus && r.lowerBound == 0
        if plus { return PhoneReader.international(Substring(digits), codeGroup: groups.count > 1 ? groups[0] : nil) }
        if digits.hasPrefix("00"), !digits.hasPrefix("000") {
            let first = groups[0]
            let codeGroup = first == "00" ? (groups.count > 2 ? groups[1] : nil) : (groups.count > 1 ? String(first.dropFirst(2)) : nil)
            return PhoneReader.international(digits.dropFirst(2), codeGroup: codeGroup)
        }
        if plan?.code == "1", digits.hasPrefix("011"), digits.count > 12 {
            let first = groups[0]
            let codeGroup = first == "011" ? (groups.count > 2 ? groups[1] : nil) : nil
            return PhoneReader.international(digits.dropFirst(3), codeGroup: codeGroup)
        }
        return national(Substring(digits)) ?? withUnwrittenPlus(Substring(digits), firstGroup: groups.count > 1 ? groups[0] : nil)
    }

    /// Digits after `+` or `00`: calling code, then the national number without trunk zeros.
    static func international(_ body: Substring, codeGroup: String?) -> String? {
        let code: String
        if let g = codeGroup, PhonePlans.callingCodes.contains(g) { code = g } else if let c = PhonePlans.code(prefixing: body) { code = c } else { return nil }
        var national = body.dropFirst(code.count)
        while national.first == "0" { national = national.dropFirst() }
        if let p = PhonePlans.byCode[code] {
            guard p.lengths.contains(national.count) else { return nil }
        } else {
            guard national.count >= 6, national.count <= 13 else { return nil }
        }
        guard code.count + national.count <= 15 else { return nil }
        return "+" + code + national
    }

    /// A number in the configured region's own format.
    func national(_ s: Substring) -> String? {
        guard let p = plan else { return nil }
        var national = s
        // Written with the country code but without +: 919876543210, 1 415 555 2671.
        if national.count == p.code.count + p.lengths.upperBound, national.hasPrefix(p.code) {
            let rest = national.dropFirst(p.code.count)
            if p.code != "91" || (rest.first.map { $0 >= "6" } ?? false) { national = rest }
        }
        if p.trunkZero, national.first == "0" { national = national.dropFirst() }
        guard p.lengths.contains(national.count), let f = national.first, f != "0" else { return nil }
        // Indian mobiles start with 6-9; landlines (after the trunk 0) with 1-5 and need the 0 written.
        if p.code == "91", f < "6", s.first != "0" { return nil }
        return "+" + p.code + national
    }

    /// A foreign number written with its calling code but no `+` ("86 18911111111"): the code
    /// stands apart, or the rest has that region's full length.
    func withUnwrittenPlus(_ s: Substring, firstGroup: String?) -> String? {
        guard let code = PhonePlans.code(prefixing: s), code != plan?.code, let p = PhonePlans.byCode[code] else { return nil }
        let rest = s.dropFirst(code.count)
        guard rest.first != "0", p.lengths.contains(rest.count), firstGroup == code || rest.count == p.lengths.upperBound else { return nil }
        return "+" + code + rest
    }
}
