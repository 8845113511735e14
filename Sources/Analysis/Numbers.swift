/// A number read from tokens `start..<end` (token indices).
struct NumberMatch: Sendable {
    var value: Double
    var start: Int
    var end: Int
    /// Written with words ("twenty five", "a dozen").
    var isWords: Bool
    /// The multiplier word or suffix that scaled it ("k", "lakh", "thousand"), lower-cased.
    var multiplier: String?
    /// Digits only, no separators, decimals or multiplier.
    var isPlainInteger: Bool
}

/// Reads numbers written with digits (1,234.50; 1,00,000), words ("two thousand five hundred",
/// "a dozen", "half") and multipliers (k, m, lakh, crore, thousand, million, billion).
struct NumberReader: Sendable {
    static let units: [String: Double] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
        "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
        // common romanized Hindi number words (not "do", which is English)
        "teen": 3, "char": 4, "chaar": 4, "paanch": 5, "panch": 5, "saat": 7, "aath": 8, "das": 10,
        "bees": 20, "pachas": 50, "pachaas": 50, "naught": 0, "nought": 0,
    ]
    static let tens: [String: Double] = [
        "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90,
    ]
    /// Scales that close a group (value × scale added to the total).
    static let scales: [String: Double] = [
        "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "lakh": 100_000, "lakhs": 100_000,
        "lac": 100_000, "lacs": 100_000, "crore": 10_000_000, "crores": 10_000_000, "hazaar": 1_000, "hazar": 1_000,
        "hajar": 1_000, "grand": 1_000, "thousands": 1_000, "millions": 1_000_000, "billions": 1_000_000_000,
        "trillion": 1_000_000_000_000, "trillions": 1_000_000_000_000,
    ]
    /// Suffixes after digits: "50k", "2.5m", "1.5 lakh", "3 cr".
    static let digitMultipliers: [String: Double] = [
        "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "b": 1_000_000_000, "bn": 1_000_000_000,
        "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "lakh": 100_000, "lakhs": 100_000,
        "lac": 100_000, "lacs": 100_000, "lk": 100_000, "crore": 10_000_000, "crores": 10_000_000, "cr": 10_000_000,
        "hundred": 100, "grand": 1_000, "hazaar": 1_000, "hazar": 1_000, "hajar": 1_000, "sau": 100, "dozen": 12,
        "trillion": 1_000_000_000_000, "dozens": 12, "dzs": 12, "dozs": 12, "doz": 12,
    ]

    /// Reads a number starting at token `i`, or nil.
    func read(_ t: [Token], at i: Int) -> NumberMatch? {
        guard i < t.count else { return nil }
        if t[i].kind == .number { return readDigits(t, at: i) }
        if t[i].kind == .word { return readWords(t, at: i) }
        return nil
    }

    private func readDigits(_ t: [Token], at i: Int) -> NumberMatch? {
        var digits = t[i].text
        var j = i + 1
        var plain = true
        // Thousands separators: 1,234,567 or Indian 1,00,000 (last group 3 digits).
        var groups: [Int] = []
        var k = j
        while k + 1 < t.count, t[k].isPunct(","), !t[k].spaceBefore, t[k + 1].isNumber, !t[k + 1].spaceBefore,
            t[k + 1].text.utf8.count == 2 || t[k + 1].text.utf8.count == 3 {
            groups.append(t[k + 1].text.utf8.count)
            k += 2
        }
        if !groups.isEmpty, groups.last == 3, t[i].text.utf8.count <= 3 {
            let indian = groups.dropLast().allSatisfy { $0 == 2 }
            let western = groups.allSatisfy { $0 == 3 }
            if indian || western {
                var m = j
                while m < k { if t[m].isNumber { digits += t[m].text }; m += 1 }
                j = k
                plain = false
            }
        }
        var value = Double(digits) ?? 0
        // Decimal part, but not dotted dates or versions (25.10.2025, 1.2.3).
        if j + 1 < t.count, t[j].isPunct("."), !t[j].spaceBefore, t[j + 1].isNumber, !t[j + 1].spaceBefore,
            !(j + 2 < t.count && t[j + 2].isPunct(".") && !t[j + 2].spaceBefore && j + 3 < t.count && t[j + 3].isNumber && !t[j + 3].spaceBefore) {
            if let v = Double(digits + "." + t[j + 1].text) { value = v }
            j += 2
            plain = false
        }
        var match = NumberMatch(value: value, start: i, end: j, isWords: false, multiplier: nil, isPlainInteger: plain)
        // Multiplier suffix: "50k", "50 k", "1.5 lakh", "2 thousand".
        if j < t.count, t[j].kind == .word, let scale = NumberReader.digitMultipliers[t[j].text] {
            let word = t[j].text
            let adjacentOnly = word == "k" || word == "m" || word == "b" || word == "mn" || word == "bn" || word == "lk"
            // "5 m" is more likely metres; single letters must touch the digits (or follow a currency).
            if !adjacentOnly || !t[j].spaceBefore || word == "k" {
                match.value = value * scale
                match.multiplier = word
                match.end = j + 1
                match.isPlainInteger = false
                // "2 thousand five hundred", "3 hundred and one", "4 thousand 3 hundred and 21"
                var r = j + 1
                if r + 1 < t.count, t[r].text == "and" { r += 1 }
                if scale >= 100, r < t.count, t[r].kind == .word || (t[r].kind == .number && r + 1 < t.count && NumberReader.digitMultipliers[t[r + 1].text] != nil || t[r].kind == .number && t[r - 1].text == "and"),
                    let rest = read(t, at: r), rest.value < scale, rest.value >= 1, rest.value == rest.value.rounded() {
                    match.value += rest.value
                    match.end = rest.end
                }
            }
        }
        return match
    }

    /// Whole numbers in words ("two hundred and six", "a dozen", "one and a half").
    func readCardinal(_ t: [Token], at i: Int) -> NumberMatch? {
        guard i < t.count, t[i].kind == .word, t[i].cls.contains(.numberWord) else { return nil }
        var total = 0.0
        var current = 0.0
        var any = false
        var j = i
        var lastScale: String?
        let first = t[i].text
        // "a dozen", "a hundred", "a couple of", "half a dozen", "one and a half"
        if first == "a" || first == "an" {
            guard i + 1 < t.count else { return nil }
            let next = t[i + 1].text
            if next == "dozen" {
                return NumberMatch(value: 12, start: i, end: i + 2, isWords: true, multiplier: "dozen", isPlainInteger: false)
            }
            if next == "couple", i + 2 < t.count, t[i + 2].text == "of" {
                let end = i + 3
                return NumberMatch(value: 2, start: i, end: end, isWords: true, multiplier: nil, isPlainInteger: false)
            }
            guard next == "hundred" || NumberReader.scales[next] != nil else { return nil }
            current = 1
            j = i + 1
            any = true
        }
        if first == "half" || first == "quarter" {
            if first == "half", i + 2 < t.count, t[i + 1].text == "a", t[i + 2].text == "dozen" {
                return NumberMatch(value: 6, start: i, end: i + 3, isWords: true, multiplier: "dozen", isPlainInteger: false)
            }
            return NumberMatch(value: first == "half" ? 0.5 : 0.25, start: i, end: i + 1, isWords: true, multiplier: nil, isPlainInteger: false)
        }
        if first == "dozen" {
            return NumberMatch(value: 12, start: i, end: i + 1, isWords: true, multiplier: "dozen", isPlainInteger: false)
        }
        // prev: 0 start, 1 unit (1-9), 2 teen (10-19), 3 tens, 4 hundred, 5 scale, 6 "and"
        var prev = current > 0 ? 4 : 0
        while j < t.count, t[j].kind == .word || (t[j].isPunct("-") && any) {
            let w = t[j].text
            if t[j].kind == .punct {
                guard prev == 3, j + 1 < t.count, let u = NumberReader.units[t[j + 1].text], u < 10, u > 0 else { break }
                j += 1
                continue
            }
            if let u = NumberReader.units[w] {
                if u < 10 {
                    guard prev == 0 || prev == 3 || prev == 4 || prev == 5 || prev == 6 else { break }
                    prev = 1
                } else {
                    guard prev == 0 || prev == 4 || prev == 5 || prev == 6 else { break }
                    prev = u < 20 ? 2 : 3
                }
                current += u; any = true
            } else if let tv = NumberReader.tens[w] {
                guard prev == 0 || prev == 4 || prev == 5 || prev == 6 else { break }
                current += tv; any = true; prev = 3
            } else if w == "hundred" || w == "sau" {
                guard any, prev == 1 || prev == 2 || (prev == 4 && current == 1) else { break }
                current = max(current, 1) * 100
                prev = 4
            } else if let sc = NumberReader.scales[w] {
                guard any, prev >= 1 && prev <= 4 else { break }
                total += max(current, 1) * sc
                current = 0
                lastScale = w
                prev = 5
            } else if w == "and", any, prev == 4 || prev == 5, j + 1 < t.count,
                NumberReader.units[t[j + 1].text] != nil || NumberReader.tens[t[j + 1].text] != nil, fraction(t, at: j + 1) == nil {
                prev = 6
            } else if w == "and", any, j + 1 < t.count, t[j + 1].text == "half" {
                current += 0.5; j += 2; break
            } else if w == "and", any, prev != 5, j + 2 < t.count, t[j + 1].text == "a", t[j + 2].text == "half" {
                current += 0.5; j += 3; break
            } else if w == "dozen" || w == "dozens" || w == "dozs" || w == "dzs", any, prev != 5 {
                current *= 12
                j += 1
                lastScale = "dozen"
                break
            } else {
                break
            }
            j += 1
        }
        guard any, j > i else { return nil }
        // Trailing "and" or "-" is not part of the number.
        while j > i + 1, t[j - 1].text == "and" || t[j - 1].isPunct("-") { j -= 1 }
        return NumberMatch(value: total + current, start: i, end: j, isWords: true, multiplier: lastScale, isPlainInteger: false)
    }
}
