/// Fractions and decimals written in words: "two thirds", "a fifth", "one twenty-fifth",
/// "five and a half million", "six million and two thirds", "two hundred point zero three".
extension NumberReader {
    static let denominators: [String: Double] = {
        var d: [String: Double] = ["half": 2, "halves": 2, "quarter": 4, "quarters": 4]
        let singular: [(String, Double)] = [
            ("third", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6), ("seventh", 7), ("eighth", 8), ("ninth", 9), ("tenth", 10),
            ("eleventh", 11), ("twelfth", 12), ("thirteenth", 13), ("fourteenth", 14), ("fifteenth", 15), ("sixteenth", 16),
            ("seventeenth", 17), ("eighteenth", 18), ("nineteenth", 19), ("twentieth", 20), ("thirtieth", 30), ("fortieth", 40),
            ("fiftieth", 50), ("sixtieth", 60), ("seventieth", 70), ("eightieth", 80), ("ninetieth", 90), ("hundredth", 100),
            ("thousandth", 1_000), ("millionth", 1_000_000), ("billionth", 1_000_000_000), ("trillionth", 1_000_000_000_000),
        ]
        for (w, v) in singular { d[w] = v; d[w + "s"] = v }
        return d
    }()
    /// The single-character fractions ("½", "⅔", "⅞"), which the tokenizer keeps as tokens of
    /// kind `other`.
    static let vulgarFractions: [String: Double] = [
        "¼": 1.0 / 4, "½": 1.0 / 2, "¾": 3.0 / 4, "⅐": 1.0 / 7, "⅑": 1.0 / 9, "⅒": 1.0 / 10, "⅓": 1.0 / 3, "⅔": 2.0 / 3,
        "⅕": 1.0 / 5, "⅖": 2.0 / 5, "⅗": 3.0 / 5, "⅘": 4.0 / 5, "⅙": 1.0 / 6, "⅚": 5.0 / 6, "⅛": 1.0 / 8, "⅜": 3.0 / 8,
        "⅝": 5.0 / 8, "⅞": 7.0 / 8,
    ]

    /// Ordinal units after a tens word and a hyphen: "twenty-first", "thirty-fifths".
    static let ordinalUnits: [String: Double] = {
        var d: [String: Double] = [:]
        for (w, v) in [("first", 1.0), ("second", 2), ("third", 3), ("fourth", 4), ("fifth", 5), ("sixth", 6), ("seventh", 7), ("eighth", 8), ("ninth", 9)] {
            d[w] = v; d[w + "s"] = v
        }
        return d
    }()

    /// A denominator at `j` ("fifths", "- eighths", "twenty-first") and where it ends.
    func denominator(_ t: [Token], at j0: Int) -> (value: Double, end: Int, plural: Bool)? {
        var j = j0
        if j < t.count, t[j].isPunct("-") { j += 1 }
        guard j < t.count, t[j].kind == .word, t[j].cls.contains(.fractionWord) || t[j].cls.contains(.numberWord) else { return nil }
        if let tens = NumberReader.tens[t[j].text], j + 2 < t.count, t[j + 1].isPunct("-"), t[j + 2].kind == .word,
            let unit = NumberReader.ordinalUnits[t[j + 2].text] {
            return (tens + unit, j + 3, t[j + 2].text.hasSuffix("s"))
        }
        guard let d = NumberReader.denominators[t[j].text] else { return nil }
        return (d, j + 1, t[j].text.hasSuffix("s") || t[j].text == "halves")
    }

    /// "two thirds", "a fifth", "one half", "a hundred trillionths". A numerator above one needs
    /// a plural ("twenty fifths"), so "twenty fifth" stays an ordinal.
    func fraction(_ t: [Token], at i: Int) -> NumberMatch? {
        fraction(t, at: i, cardinal: readCardinal(t, at: i))
    }

    /// `fraction(_:at:)` with the cardinal at `i` already read.
    private func fraction(_ t: [Token], at i: Int, cardinal: NumberMatch?) -> NumberMatch? {
        guard i < t.count, t[i].kind == .word else { return nil }
        if i + 1 < t.count, t[i + 1].cls.contains(.fractionWord) || t[i + 1].cls.contains(.numberWord), t[i].text == "a" || t[i].text == "an", let d = denominator(t, at: i + 1) {
            return NumberMatch(value: 1 / d.value, start: i, end: d.end, isWords: true, multiplier: nil, isPlainInteger: false)
        }
        guard let num = cardinal, num.value >= 1, num.value == num.value.rounded(), num.multiplier != "dozen",
            let d = denominator(t, at: num.end), d.plural || num.value == 1 else { return nil }
        return NumberMatch(value: num.value / d.value, start: i, end: d.end, isWords: true, multiplier: nil, isPlainInteger: false)
    }

    /// A scale after a fraction: "million", "of a million".
    private func scale(_ t: [Token], at j: Int) -> (Double, String, Int)? {
        guard j < t.count, t[j].kind == .word else { return nil }
        if let s = NumberReader.scales[t[j].text] { return (s, t[j].text, j + 1) }
        if t[j].text == "of", j + 2 < t.count, t[j + 1].text == "a", let s = NumberReader.scales[t[j + 2].text] { return (s, t[j + 2].text, j + 3) }
        return nil
    }

    /// The digits after "point": "point zero three" → 0.03, "point seventy-one" → 0.71.
    private func pointPart(_ t: [Token], at j: Int) -> (Double, Int)? {
        guard j + 1 < t.count, t[j].kind == .word, t[j].text == "point", t[j + 1].kind == .word else { return nil }
        var k = j + 1
        var digits = ""
        while k < t.count, t[k].kind == .word, let u = NumberReader.units[t[k].text] ?? (t[k].text == "oh" ? 0 : nil), u < 10 {
            digits += String(Int(u)); k += 1
        }
        if digits.count == 1, k < t.count, NumberReader.tens[t[j + 1].text] == nil {
            return Double("0." + digits).map { ($0, k) }
        }
        if !digits.isEmpty { return Double("0." + digits).map { ($0, k) } }
        guard let c = readCardinal(t, at: j + 1), c.value >= 1, c.value < 1000, c.value == c.value.rounded() else { return nil }
        return Double("0." + String(Int(c.value))).map { ($0, c.end) }
    }

    /// A number in words, with fractions, scaled fractions and decimals.
    func readWords(_ t: [Token], at i: Int) -> NumberMatch? {
        guard i < t.count, t[i].cls.contains(.numberWord) else { return nil }
        var m: NumberMatch
        var fractional: Bool
        let cardinal = readCardinal(t, at: i)
        if let f = fraction(t, at: i, cardinal: cardinal) {
            m = f; fractional = true
        } else if let c = cardinal {
            m = c; fractional = c.value != c.value.rounded()
        } else {
            return nil
        }
        // "six million and two thirds", "one and a fourth", "one billion and a half million"
        if !fractional, m.end + 1 < t.count, t[m.end].text == "and", let f = fraction(t, at: m.end + 1) {
            var part = f.value
            var end = f.end
            if let (s, _, e) = scale(t, at: end) { part *= s; end = e } else if let last = m.multiplier, let s = NumberReader.scales[last] { part *= s }
            m.value += part
            m.end = end
            return m
        }
        // "half million", "two thirds of a million", "five and a half million"
        if fractional, let (s, name, e) = scale(t, at: m.end) {
            m.value *= s; m.end = e; m.multiplier = name
            return m
        }
        if !fractional, let (v, e) = pointPart(t, at: m.end) {
            m.value += v; m.end = e
        }
        return m
    }
}
