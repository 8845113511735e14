/// Numbers that count or measure nothing named: "1,200,000", "3 million", "two thirds",
/// "-4.5", "1.3e6", "one over three". They become quantities without a unit or product, after
/// the readers of dates, money and counted goods have claimed their tokens.
struct NumeralReader: Sendable {
    let numbers = NumberReader()

    struct Found {
        var value: Double
        var start: Int
        var end: Int
        /// Written with more than a plain number: a sign, a ratio, spaced groups, a power.
        var compound: Bool
    }

    /// Words before "one" that make it a pronoun ("which one", "that one").
    static let pronounLead: Set<String> = ["the", "which", "that", "this", "each", "any", "every", "no", "some", "someone", "anyone", "no-one", "last", "next", "other", "another", "only", "little", "big", "new", "old", "right", "wrong", "same", "favourite", "favorite"]

    /// Numerals in unclaimed tokens. Those written with more than a plain number ("1 over 3",
    /// "minus five") go before the reader of counted goods; plain ones are kept for after it.
    func scan(_ t: [Token], claimed: [Bool]) -> [Found] {
        var out: [Found] = []
        var i = 0
        while i < t.count {
            guard !claimed[i], let f = read(t, at: i, claimed: claimed) else { i += 1; continue }
            out.append(f)
            i = f.end
        }
        return out
    }

    private func read(_ t: [Token], at i0: Int, claimed: [Bool]) -> Found? {
        switch t[i0].kind {
        case .number: break
        case .word: guard t[i0].cls.contains(.numberWord) else { return nil }
        case .punct: guard t[i0].byte == UInt8(ascii: "-") || t[i0].byte == UInt8(ascii: ".") else { return nil }
        case .other:
            // "¾" alone
            guard let f = NumberReader.vulgarFractions[t[i0].text] else { return nil }
            return Found(value: f, start: i0, end: i0 + 1, compound: true)
        default: return nil
        }
        var i = i0
        var sign = 1.0
        // "minus five", "negative one", "-9.5", "- 10 k"
        if t[i].kind == .word, t[i].text == "minus" || t[i].text == "negative", i + 1 < t.count, t[i + 1].kind == .number || t[i + 1].cls.contains(.numberWord) {
            sign = -1; i += 1
        } else if t[i].isPunct("-"), i + 1 < t.count, t[i + 1].kind == .number, i == 0 || (t[i].spaceBefore && t[i - 1].kind != .number && !t[i - 1].cls.contains(.numberWord)) {
            sign = -1; i += 1
        }
        // ".08": a decimal without its leading zero.
        if t[i].isPunct("."), i + 1 < t.count, t[i + 1].kind == .number, !t[i + 1].spaceBefore, i == 0 || t[i].spaceBefore || t[i - 1].isPunct("-") {
            guard let v = Double("0." + t[i + 1].text) else { return nil }
            return Found(value: sign * v, start: i0, end: i + 2, compound: true)
        }
        guard i < t.count, !claimed[i], t[i].kind == .number || t[i].kind == .word, var m = numbers.read(t, at: i) else { return nil }
        if claimed[m.end - 1] { return nil }
        if m.isWords {
            guard acceptWords(t, m) else { return nil }
        } else {
            // Part of a code or an ordinal: "A4", "5th", "covid19".
            if i > 0, !t[i].spaceBefore, t[i - 1].kind == .word { return nil }
            if m.end == i + 1 { m = spacedThousands(t, m) }
            m = powers(t, m)
            if m.end < t.count, t[m.end].kind == .word, !t[m.end].spaceBefore, let s = upperSuffix(t[m.end]), m.multiplier == nil { m.value *= s; m.end += 1 }
            if m.end < t.count, t[m.end].kind == .word, !t[m.end].spaceBefore, NumberReader.digitMultipliers[t[m.end].text] == nil { return nil }
        }
        let plainEnd = m.end
        var value = m.value
        var end = m.end
        // "one over three", "2 out of 5", "1 in twenty-one"
        if end + 1 < t.count, t[end].kind == .word {
            var k = end
            let w = t[k].text
            if w == "over" { k += 1 } else if w == "out", t[k + 1].text == "of" { k += 2 } else if w == "in", t[k + 1].kind == .word, t[k + 1].text != "a" { k += 1 }
            if k > end, k < t.count, let d = numbers.read(t, at: k), d.value != 0 {
                value /= d.value; end = d.end
            }
        }
        // "3/4", "2 1/4": a proper fraction no date took.
        let rated = (max(0, i - 3)..<i).contains { NumeralReader.ratingLead.contains(t[$0].norm) }
        if end + 1 < t.count, !m.isWords, m.end == i + 1, !rated, t[end].isPunct("/"), !t[end].spaceBefore, t[end + 1].kind == .number, !t[end + 1].spaceBefore,
            let d = Double(t[end + 1].text), d > value, !(end + 2 < t.count && t[end + 2].isPunct("/")) {
            value /= d; end += 2
        } else if end + 2 < t.count, !m.isWords, m.end == i + 1, t[end].kind == .number, t[end].spaceBefore, t[end + 1].isPunct("/"),
            !t[end + 1].spaceBefore, t[end + 2].kind == .number, !t[end + 2].spaceBefore, let a = Double(t[end].text), let d = Double(t[end + 2].text), a < d, !claimed[end] {
            value += a / d; end += 3
        } else if end < t.count, !m.isWords, m.end == i + 1, let f = NumberReader.vulgarFractions[t[end].text], !claimed[end] {
            // "1½", "2 ¾"
            value += f; end += 1
        }
        // Millions and more in words ("five and a half million") are values, never counted goods.
        let large = m.isWords && m.multiplier.map { ["million", "millions", "billion", "billions", "trillion", "trillions", "crore", "crores"].contains($0) } == true
        let plain = numbers.read(t, at: i)?.end == plainEnd && end == plainEnd && sign > 0 && !large
        if plain, !standsAlone(t, start: i, end: end) { return nil }
        return Found(value: sign * value, start: i0, end: end, compound: !plain)
    }

    /// Whether a plain number names a value of its own, not a model, size, id, address or
    /// percentage ("iPhone 15", "size 38", "sector 62", "20%"), nor an uncounted noun ("3 seater").
    private func standsAlone(_ t: [Token], start: Int, end: Int) -> Bool {
        if start > 0, t[start - 1].kind == .word {
            let p = t[start - 1]
            if p.hasUpper && start > 1 { return false }
            if !Words.function.contains(p.norm), !QuantityReader.countLead.contains(p.norm), !NumeralReader.valueLead.contains(p.norm) { return false }
        }
        if start > 0, t[start - 1].isPunct("/") && !t[start].spaceBefore { return false }
        if start > 0, t[start - 1].isPunct("#") || NumeralReader.idLead.contains(t[start - 1].norm) { return false }
        if end < t.count {
            let n = t[end]
            if n.isPunct("%") || ((n.isPunct("-") || n.isPunct("/")) && !n.spaceBefore) { return false }
            if n.kind == .word, !Words.function.contains(n.norm), NumberReader.digitMultipliers[n.text] == nil { return false }
        }
        if QuantityReader.isAddress(t, before: start) { return false }
        let w = t[start].text
        if t[start].kind == .word, end == start + 1, w == "one" || w == "zero" || w == "half" || w == "quarter" {
            // "the correct one", "pay half now": pronouns and shares, not values.
            if start > 0, t[start - 1].kind == .word, !NumeralReader.valueLead.contains(t[start - 1].norm) { return false }
            if w == "one", end < t.count, ["with", "for", "in", "on", "from", "that", "which", "who", "is", "was", "of"].contains(t[end].norm) { return false }
        }
        return true
    }

    /// Words after which a number is a value: "is 42", "total 1,200", "try one".
    static let valueLead: Set<String> = ["is", "are", "was", "were", "be", "total", "totals", "count", "counted", "value", "result", "answer", "equals", "makes", "try", "about", "around", "nearly", "almost", "exactly", "approximately", "roughly", "over", "under", "than"]
    /// Words after which a number is an identifier: "job sheet no 4471", "id 3321".
    static let idLead: Set<String> = ["no", "nr", "num", "id", "ref", "code", "pin", "otp", "ticket", "invoice", "awb", "txn", "order"]
    /// Words before a slash that make it a rating, not a fraction: "rated 4/5".
    static let ratingLead: Set<String> = ["rated", "rate", "rating", "score", "scored", "marks", "gave", "give", "stars"]

    private func acceptWords(_ t: [Token], _ m: NumberMatch) -> Bool {
        let first = t[m.start].text
        if first == "one", m.end == m.start + 1 {
            if m.start > 0, NumeralReader.pronounLead.contains(t[m.start - 1].norm) { return false }
            if m.end < t.count, ["of", "another", "by", "day", "way", "thing", "sec", "moment"].contains(t[m.end].norm) { return false }
        }
        if first == "half" || first == "quarter", m.end == m.start + 1, m.start > 0, ["the", "a", "first", "second", "last"].contains(t[m.start - 1].norm) { return false }
        return true
    }

    /// "1 234 567": groups of three digits after spaces (a thin space counts).
    private func spacedThousands(_ t: [Token], _ m0: NumberMatch) -> NumberMatch {
        var m = m0
        guard t[m.start].text.utf8.count <= 3, m.multiplier == nil else { return m }
        var digits = t[m.start].text
        var k = m.start + 1
        while k < t.count, t[k].kind == .number, t[k].spaceBefore, t[k].text.utf8.count == 3 { digits += t[k].text; k += 1 }
        guard k > m.start + 1 else { return m }
        if k + 1 < t.count, t[k].isPunct("."), !t[k].spaceBefore, t[k + 1].kind == .number, !t[k + 1].spaceBefore {
            digits += "." + t[k + 1].text; k += 2
        }
        if let v = Double(digits) { m.value = v; m.end = k; m.isPlainInteger = false }
        return m
    }

    /// "1.3e6", "12.32e+14", "1.3x10^6", "2.5^-1".
    private func powers(_ t: [Token], _ m0: NumberMatch) -> NumberMatch {
        var m = m0
        var k = m.end
        func exponent(at j: Int) -> (Double, Int)? {
            var j = j
            var s = 1.0
            if j < t.count, !t[j].spaceBefore, t[j].isPunct("-") || t[j].isPunct("+") { s = t[j].isPunct("-") ? -1 : 1; j += 1 }
            guard j < t.count, t[j].kind == .number, !t[j].spaceBefore, let e = Double(t[j].text), e < 300 else { return nil }
            return (s * e, j + 1)
        }
        guard k < t.count, !t[k].spaceBefore else { return m }
        if t[k].kind == .word, t[k].text == "e", let (e, end) = exponent(at: k + 1) {
            m.value *= pow10(e); m.end = end
        } else if t[k].kind == .word, t[k].text == "x", k + 2 < t.count, t[k + 1].text == "10", !t[k + 1].spaceBefore, t[k + 2].isPunct("^"), let (e, end) = exponent(at: k + 3) {
            m.value *= pow10(e); m.end = end
        } else if t[k].isPunct("^"), let (e, end) = exponent(at: k + 1), e == e.rounded(), abs(e) <= 6 {
            var v = 1.0
            for _ in 0..<Int(abs(e)) { v *= m.value }
            m.value = e < 0 ? 1 / v : v
            m.end = end
        }
        k = m.end
        return m
    }

    private func pow10(_ e: Double) -> Double {
        var v = 1.0
        for _ in 0..<Int(abs(e)) { v *= 10 }
        return e < 0 ? 1 / v : v
    }

    /// Capital SI letters glued to a number: "10M", "2T" ("5G" is a network).
    private func upperSuffix(_ tok: Token) -> Double? {
        guard tok.hasUpper, tok.text.utf8.count == 1 else { return nil }
        switch tok.text {
        case "m": return 1_000_000
        case "t": return 1_000_000_000_000
        case "b": return 1_000_000_000
        default: return nil
        }
    }
}
