/// Phone numbers to E.164 with a default region.
struct PhoneReader: Sendable {
    struct Plan: Sendable {
        var code: String
        /// Allowed national significant number lengths.
        var lengths: ClosedRange<Int>
        /// Whether a leading 0 (trunk prefix) is dropped.
        var trunkZero: Bool
    }

    /// Calling codes by region; the plan also validates numbers written with that code.
    static let regions: [String: Plan] = [
        "IN": Plan(code: "91", lengths: 10...10, trunkZero: true),
        "US": Plan(code: "1", lengths: 10...10, trunkZero: false),
        "CA": Plan(code: "1", lengths: 10...10, trunkZero: false),
        "GB": Plan(code: "44", lengths: 9...10, trunkZero: true),
        "AE": Plan(code: "971", lengths: 8...9, trunkZero: true),
        "SG": Plan(code: "65", lengths: 8...8, trunkZero: false),
        "AU": Plan(code: "61", lengths: 9...9, trunkZero: true),
        "DE": Plan(code: "49", lengths: 6...11, trunkZero: true),
        "FR": Plan(code: "33", lengths: 9...9, trunkZero: true),
        "PK": Plan(code: "92", lengths: 9...10, trunkZero: true),
        "BD": Plan(code: "880", lengths: 9...10, trunkZero: true),
        "NP": Plan(code: "977", lengths: 8...10, trunkZero: true),
        "LK": Plan(code: "94", lengths: 9...9, trunkZero: true),
        "SA": Plan(code: "966", lengths: 8...9, trunkZero: true),
        "NZ": Plan(code: "64", lengths: 8...10, trunkZero: true),
        "ZA": Plan(code: "27", lengths: 9...9, trunkZero: true),
        "NG": Plan(code: "234", lengths: 8...10, trunkZero: true),
        "KE": Plan(code: "254", lengths: 9...9, trunkZero: true),
        "MY": Plan(code: "60", lengths: 8...10, trunkZero: true),
        "PH": Plan(code: "63", lengths: 8...10, trunkZero: true),
        "ID": Plan(code: "62", lengths: 8...12, trunkZero: true),
        "BR": Plan(code: "55", lengths: 10...11, trunkZero: true),
        "MX": Plan(code: "52", lengths: 10...10, trunkZero: false),
        "IT": Plan(code: "39", lengths: 6...11, trunkZero: false),
        "ES": Plan(code: "34", lengths: 9...9, trunkZero: false),
        "NL": Plan(code: "31", lengths: 9...9, trunkZero: true),
        "IE": Plan(code: "353", lengths: 7...9, trunkZero: true),
        "QA": Plan(code: "974", lengths: 8...8, trunkZero: false),
        "KW": Plan(code: "965", lengths: 8...8, trunkZero: false),
        "OM": Plan(code: "968", lengths: 8...8, trunkZero: false),
        "BH": Plan(code: "973", lengths: 8...8, trunkZero: false),
        "CN": Plan(code: "86", lengths: 10...11, trunkZero: true),
        "JP": Plan(code: "81", lengths: 9...10, trunkZero: true),
    ]
    /// Known calling codes (for numbers written with +).
    static let byCode: [String: Plan] = {
        var map: [String: Plan] = [:]
        for (_, plan) in regions where map[plan.code] == nil { map[plan.code] = plan }
        return map
    }()

    let plan: Plan?

    init(country: String) { plan = PhoneReader.regions[country.uppercased()] }

    struct Candidate { var digits: [UInt8]; var plus: Bool; var range: Range<Int>; var segments: [Int] }

    /// Finds phone numbers in `bytes`; `blocked(start, end)` vetoes a span (prices, order ids...).
    func scan(_ bytes: [UInt8], skip: (Int) -> Bool, veto: (Range<Int>, Bool) -> Bool) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            let startsPlus = b == UInt8(ascii: "+") && i + 1 < n && (ASCII.isDigit(bytes[i + 1]) || bytes[i + 1] == UInt8(ascii: "("))
            let startsParen = b == UInt8(ascii: "(") && i + 1 < n && ASCII.isDigit(bytes[i + 1])
            guard ASCII.isDigit(b) || startsPlus || startsParen else { i += 1; continue }
            if i > 0 {
                let p = bytes[i - 1]
                if ASCII.isAlnum(p) || p == UInt8(ascii: "#") || p == UInt8(ascii: "/") || p == UInt8(ascii: "@")
                    || p == UInt8(ascii: ".") || p == UInt8(ascii: ",") || p == UInt8(ascii: ":") || p == UInt8(ascii: "$")
                    || (p == UInt8(ascii: "-") && i > 1 && ASCII.isAlnum(bytes[i - 2])) || p >= 0x80 {
                    // inside another token; skip its digits
                    var k = i
                    while k < n, ASCII.isAlnum(bytes[k]) { k += 1 }
                    i = max(k, i + 1)
                    continue
                }
            }
            if skip(i) { i += 1; continue }
            // Collect digits with single separators.
            var k = startsPlus ? i + 1 : i
            var digits: [UInt8] = []
            var segments: [Int] = [0]
            var lastDigitEnd = k
            var openParen = false
            while k < n {
                let c = bytes[k]
                if ASCII.isDigit(c) { digits.append(c); k += 1; lastDigitEnd = k; continue }
                if c == UInt8(ascii: "(") && !openParen && (k == i || !ASCII.isDigit(bytes[k - 1]) || bytes[k - 1] == UInt8(ascii: " ")) {
                    openParen = true; k += 1
                    if segments.last != digits.count { segments.append(digits.count) }
                    continue
                }
                if c == UInt8(ascii: ")") && openParen { openParen = false; k += 1; if segments.last != digits.count { segments.append(digits.count) }; continue }
                if (c == UInt8(ascii: " ") || c == UInt8(ascii: "-") || c == UInt8(ascii: ".")), k + 1 < n,
                    ASCII.isDigit(bytes[k + 1]) || (bytes[k + 1] == UInt8(ascii: "(") && c == UInt8(ascii: " ")) || (c == UInt8(ascii: "-") && bytes[k + 1] == UInt8(ascii: " ")),
                    k > i, ASCII.isDigit(bytes[k - 1]) || bytes[k - 1] == UInt8(ascii: ")") {
                    if c == UInt8(ascii: "-"), bytes[k + 1] == UInt8(ascii: " ") { k += 1 }
                    k += 1
                    if segments.last != digits.count { segments.append(digits.count) }
                    continue
                }
                break
            }
            let end = lastDigitEnd
            // A digit or letter right after means it is part of something else.
            if end < n, ASCII.isLetter(bytes[end]) || (bytes[end] == UInt8(ascii: "/") && end + 1 < n && ASCII.isDigit(bytes[end + 1])) {
                i = max(end, i + 1)
                while i < n, ASCII.isAlnum(bytes[i]) { i += 1 }
                continue
            }
            if digits.count >= 7 {
                if let (number, used) = bestNumber(digits: digits, plus: startsPlus, segments: segments) {
                    // Map the digit range back to bytes.
                    let range = byteRange(bytes, from: i, plus: startsPlus, digitStart: used.lowerBound, digitEnd: used.upperBound)
                    if !veto(range, startsPlus) {
                        out.append((number, range))
                    }
                }
            }
            i = max(end, i + 1)
        }
        return out
    }

    private func byteRange(_ bytes: [UInt8], from start: Int, plus: Bool, digitStart: Int, digitEnd: Int) -> Range<Int> {
        var count = 0
        var s = start
        var e = start
        var k = start
        var foundStart = false
        while k < bytes.count {
            if ASCII.isDigit(bytes[k]) {
                if count == digitStart && !foundStart { s = k; foundStart = true }
                count += 1
                if count == digitEnd { e = k + 1; break }
            }
            k += 1
        }
        if digitStart == 0 { s = start }
        return s..<max(e, s + 1)
    }

    /// The best E.164 reading of the digits: the whole run, else a run of whole segments.
    private func bestNumber(digits: [UInt8], plus: Bool, segments: [Int]) -> (String, Range<Int>)? {
        if let e = normalize(digits[...], plus: plus) { return (e, 0..<digits.count) }
        // Try sub-runs on segment boundaries (e.g. "qty 5 98765 43210").
        guard segments.count > 1, segments.count <= 12 else { return nil }
        let bounds = segments + [digits.count]
        for a in 0..<(bounds.count - 1) {
            for b in stride(from: bounds.count - 1, to: a, by: -1) where (a, b) != (0, bounds.count - 1) {
                let slice = digits[bounds[a]..<bounds[b]]
                if slice.count >= 7, let e = normalize(slice, plus: plus && a == 0) { return (e, bounds[a]..<bounds[b]) }
            }
        }
        return nil
    }

    func normalize(_ d: ArraySlice<UInt8>, plus: Bool) -> String? {
        let s = String(decoding: d, as: UTF8.self)
        if plus || (d.count > 4 && d.first == UInt8(ascii: "0") && d.dropFirst().first == UInt8(ascii: "0")) {
            let body = plus ? Substring(s) : s.dropFirst(2)
            for len in 1...3 where body.count > len {
                let code = String(body.prefix(len))
                if let p = PhoneReader.byCode[code] {
                    var national = body.dropFirst(len)
                    if national.first == "0", p.trunkZero { national = national.dropFirst() } // +91 0xxxxx
                    guard p.lengths.contains(national.count) else { return nil }
                    if code == "91", let f = national.first, f < "6", national.count == 10 {
                        // landline with STD code is fine, but not starting with 0/1
                        if f == "0" || f == "1" { return nil }
                    }
                    return "+" + code + national
                }
            }
            // Unknown country code: accept 8...15 digits total.
            guard body.count >= 8, body.count <= 15, body.first != "0" else { return nil }
            return "+" + body
        }
        guard let p = plan else {
            return nil
        }
        var national = Substring(s)
        // Written with the country code but without +: 919876543210, 1 415 555 2671.
        if national.count == p.code.count + p.lengths.upperBound, national.hasPrefix(p.code) {
            let rest = national.dropFirst(p.code.count)
            if p.code != "91" || (rest.first.map { $0 >= "6" } ?? false) {
                national = rest
            }
        }
        if p.trunkZero, national.first == "0" { national = national.dropFirst() }
        guard p.lengths.contains(national.count), national.first != "0" else { return nil }
        if p.code == "91" {
            // Mobiles start with 6-9; landlines (after the trunk 0) with 2-5 and need the 0 written.
            guard let f = national.first else { return nil }
            if f < "6" && s.first != "0" { return nil }
            if f == "1" { return nil }
        }
        if p.code == "1" {
            guard let f = national.first, f >= "2" else { return nil }
        }
        return "+" + p.code + national
    }
}
