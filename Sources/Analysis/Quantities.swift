import Events
/// Quantities ("2 laptops", "a dozen eggs", "three kg rice", "5 pcs", "mujhe 2 chahiye") and the
/// product noun phrases they point at.
struct QuantityReader: Sendable {
    let numbers = NumberReader()

    /// Words after which a number is a count rather than part of a name ("iphone 15", "size 10").
    static let countLead: Set<String> = [
        "want", "wants", "wanted", "need", "needs", "needed", "order", "ordering", "buy", "buying", "purchase", "send", "get",
        "book", "add", "take", "deliver", "require", "required", "of", "for", "about", "around", "approx", "only", "just", "me",
        "us", "give", "and", "or", "x", "qty", "quantity", "total", "another", "also", "extra", "bhejo", "dedo", "i", "we",
        "please", "the", "all", "some", "with", "to", "is", "are", "be", "mujhe", "muje", "hume", "humein", "hamein", "chahiye",
        "ke", "ki", "ka", "aur", "bhi", "sirf", "like", "those", "these", "have", "had", "ordered", "bought", "received", "got",
        "sent", "delivered", "want", "make", "it", "them", "now", "then", "but", "only", "atleast", "least", "upto", "up",
        "nearly", "roughly", "almost", "over", "under", "maybe", "probably", "exactly", "ship", "pack", "packing", "supply",
        "reserve", "hold", "keep", "arrange", "quote", "on", "in", "at", "by", "my", "our", "your", "mere", "mera", "meri",
        "return", "cancel", "exchange", "replace", "remove", "woh", "wo", "ye", "yeh", "bhai", "bhaiya", "a", "an", "sirf", "bas",
        "ek", "aur", "ordered", "reduce", "increase", "make", "made", "instead", "than", "want", "worth",
    ]
    static let npSkip: Set<String> = ["more", "extra", "additional", "new", "same", "of", "the", "nos", "no", "number", "units", "x", "aur", "those", "these", "your", "my"]

    /// "ek wash mein", "ek baar": after "ek" they make it "once", not a count.
    static let onceWords: Set<String> = ["mein", "me", "main", "se", "baar", "bar"]
    /// Words before "one" that make it a pronoun ("which one").
    static let pronounOneLead: Set<String> = ["no", "every", "any", "each", "which", "that", "this", "the", "someone", "only"]
    static let moreWords: Set<String> = ["more", "extra", "additional", "aur"]
    /// Words shortly before a number that make it part of an address.
    static let addressLead: Set<String> = ["address", "addr", "pata", "flat", "house", "plot", "sector", "floor", "room", "apartment", "apt", "block", "pincode", "pin"]

    struct Found { var quantity: Quantity; var start: Int; var end: Int; var productRange: Range<Int>? }

    func scan(_ t: [Token], claimed: [Bool]) -> [Found] {
        var out: [Found] = []
        var i = 0
        while i < t.count {
            guard !claimed[i], t[i].kind == .number || t[i].kind == .word else { i += 1; continue }
            var hindi: NumberMatch?
            if t[i].kind == .word, t[i].text == "ek" || t[i].text == "do", i + 1 < t.count, t[i + 1].kind == .word,
                (Words.units[t[i + 1].text] != nil && t[i + 1].text != "can") || (t[i].text == "ek" && nextIsCountable(t, i + 1)) {
                hindi = NumberMatch(value: t[i].text == "ek" ? 1 : 2, start: i, end: i + 1, isWords: true, multiplier: nil, isPlainInteger: false)
                // "ek wash mein" (in one wash), "ek baar" (once): not a count of goods.
                if i + 2 < t.count, QuantityReader.onceWords.contains(t[i + 2].norm), Words.units[t[i + 1].text] == nil { hindi = nil; i += 2; continue }
            }
            guard let num = hindi ?? numbers.read(t, at: i), !claimed[num.end - 1] else { i += 1; continue }
            if let m = num.multiplier, m != "dozen", m != "thousand", m != "hundred", m != "million" { i = num.end; continue }
            // Parts of names and codes: "iphone 15", "A1", "covid19", "5G".
            if num.end < t.count, t[num.end].kind == .word, Words.attributeNouns.contains(t[num.end].text) { i = num.end + 1; continue }
            if num.end < t.count, t[num.end].isPunct("-"), !t[num.end].spaceBefore { i = num.end + 1; continue }
            if num.end < t.count, t[num.end].kind == .word, !t[num.end].spaceBefore, t[num.end].hasUpper, t[num.end].text.utf8.count == 1 { i = num.end + 1; continue }
            let unitFollows = num.end < t.count && t[num.end].kind == .word && (Words.units[t[num.end].text] != nil || Words.people.contains(t[num.end].norm))
            if t[i].kind == .number {
                if i > 0, !t[i].spaceBefore, t[i - 1].kind == .word || t[i - 1].kind == .number || t[i - 1].isPunct("-") || t[i - 1].isPunct("#") { i = num.end; continue }
                if !unitFollows, i > 0, t[i - 1].kind == .word, !QuantityReader.countLead.contains(t[i - 1].norm), !QuantityReader.countLead.contains(t[i - 1].text),
                    !(num.end < t.count && t[num.end].kind == .word && t[num.end].text.hasSuffix("s") && !Words.function.contains(t[num.end].norm)) { i = num.end; continue }
                if QuantityReader.isAddress(t, before: i) { i = num.end; continue }
                if num.end < t.count, !t[num.end].spaceBefore, t[num.end].kind == .word, Words.units[t[num.end].text] == nil,
                    NumberReader.digitMultipliers[t[num.end].text] == nil { i = num.end; continue }
                if num.end < t.count, t[num.end].isPunct("%") || t[num.end].isPunct(":") || (t[num.end].isPunct("/") && !t[num.end].spaceBefore) { i = num.end; continue }
                if num.isPlainInteger, t[i].text.utf8.count >= 5 { i = num.end; continue } // long codes, pins
                if num.isPlainInteger, t[i].text.utf8.count == 4, num.value >= 1900, num.value <= 2100 { i = num.end; continue } // years
                if i > 0, t[i - 1].kind == .punct, t[i - 1].isPunct("+") || t[i - 1].isPunct("#") || (t[i - 1].isPunct("/") && !t[i].spaceBefore) { i = num.end; continue }
            } else {
                // Word numbers must count something, except clear ones ("a dozen", "twenty").
                let w = t[i].text
                if w == "a" || w == "an" { if num.multiplier != "dozen" && num.value != 2 { i = num.end; continue } }
                if w == "half", num.end < t.count, !(Words.units[t[num.end].norm] != nil) { i = num.end; continue }
                if w == "one" || w == "teen" || w == "char" || w == "das" || w == "saat", !nextIsCountable(t, num.end) { i = num.end; continue }
                if w == "one", i > 0, QuantityReader.pronounOneLead.contains(t[i - 1].norm) { i = num.end; continue }
                if w == "one", i > 0, t[i - 1].kind == .word, !QuantityReader.countLead.contains(t[i - 1].norm) { i = num.end; continue }
                if num.end < t.count, t[num.end].norm == "of", w == "one" || w == "two" { i = num.end; continue } // "one of my orders"
            }
            var j = num.end
            var unit: String?
            var value = num.value
            // "2 more bottles of ...", "3 extra packs"
            while j < t.count, j < num.end + 2, QuantityReader.moreWords.contains(t[j].norm), j + 1 < t.count, t[j + 1].kind == .word,
                Words.units[t[j + 1].text] != nil { j += 1 }
            // "20 box files": a singular container word before a plural noun names the product.
            let compoundContainer = j + 1 < t.count && num.value > 1 && t[j].kind == .word && Words.units[t[j].text].map { Words.containers.contains($0) } == true
                && Words.singular(t[j].text) == t[j].text && t[j + 1].kind == .word && t[j + 1].text.hasSuffix("s") && t[j + 1].text.utf8.count > 3
                && !Words.function.contains(t[j + 1].norm) && Words.units[t[j + 1].text] == nil
            if !compoundContainer, j < t.count, t[j].kind == .word, let u = Words.units[t[j].text] {
                if u == "dozen" {
                    value *= 12; j += 1
                    if j < t.count, let u2 = Words.units[t[j].text] { unit = u2; j += 1 }
                } else if !(t[j].text == "can" && j + 1 < t.count && t[j + 1].kind == .word && !t[j + 1].text.hasSuffix("s")) {
                    unit = u; j += 1
                }
            }
            var np = j
            if np < t.count, t[np].norm == "of" { np += 1 }
            var product: String?
            var range: Range<Int>?
            if let (p, r) = nounPhrase(t, at: np, claimed: claimed) {
                product = p; range = r; j = r.upperBound
            } else if let u = unit, Words.containers.contains(u), j > num.end {
                product = nil
            }
            // People: "2 log", "50 guests" count heads, no product.
            if unit == nil, num.end < t.count, t[num.end].kind == .word, Words.people.contains(t[num.end].norm) {
                out.append(Found(quantity: Quantity(value: value, unit: nil, product: nil), start: i, end: num.end + 1, productRange: nil))
                i = num.end + 1
                continue
            }
            // Nothing counted and a time unit follows: not a product quantity.
            if product == nil, unit == nil, j < t.count, t[j].kind == .word, Words.nonProducts.contains(t[j].norm) { i = j; continue }
            if product == nil, unit == nil, num.end < t.count, t[num.end].kind == .word, num.isWords, !Words.function.contains(t[num.end].norm) { i = num.end; continue }
            if value <= 0 || value > 1_000_000 { i = max(j, i + 1); continue }
            out.append(Found(quantity: Quantity(value: value, unit: unit, product: product), start: i, end: j, productRange: range))
            i = max(j, i + 1)
        }
        return out
    }

    static func isAddress(_ t: [Token], before i: Int) -> Bool {
        var k = i - 1
        while k >= 0, k >= i - 4 {
            if addressLead.contains(t[k].norm) { return true }
            k -= 1
        }
        return false
    }

    private func nextIsCountable(_ t: [Token], _ j0: Int) -> Bool {
        var j = j0
        while j < t.count, QuantityReader.moreWords.contains(t[j].norm) { j += 1 }
        guard j < t.count, t[j].kind == .word else { return false }
        if Words.units[t[j].text] != nil { return true }
        return !Words.function.contains(t[j].norm) && !Words.nonProducts.contains(t[j].norm) && t[j].text.utf8.count > 2
    }

    /// Up to three content words (and model numbers after a word), head singularized.
    func nounPhrase(_ t: [Token], at start: Int, claimed: [Bool]) -> (String, Range<Int>)? {
        var i = start
        while i < t.count, t[i].kind == .word, QuantityReader.npSkip.contains(t[i].norm), i - start < 4 { i += 1 }
        let s = i
        var words: [String] = []
        while i < t.count, words.count < 4, !claimed[i] {
            let tok = t[i]
            // Alphanumeric model names: "A4", "5W", "MK270".
            if (tok.kind == .word || tok.kind == .number), i + 1 < t.count, !t[i + 1].spaceBefore,
                (t[i + 1].kind == .word || t[i + 1].kind == .number), t[i + 1].kind != tok.kind {
                var e = i + 1
                var text = tok.text + t[e].text
                while e + 1 < t.count, !t[e + 1].spaceBefore, t[e + 1].kind == .word || t[e + 1].kind == .number { e += 1; text += t[e].text }
                words.append(text.lowercased())
                i = e + 1
                continue
            }
            if tok.kind == .word {
                let w = tok.text
                if !words.isEmpty, w.utf8.count >= 6, w.hasSuffix("ed") { break } // "cards printed"
                if Words.function.contains(w) || Words.function.contains(tok.norm) { break }
                if let u = Words.units[w], !words.isEmpty, !Words.containers.contains(u) { break }
                if Words.people.contains(w) { break }
                if DateReader.weekdays[w] != nil || DateReader.months[w] != nil && w.utf8.count > 3 || DateReader.partsOfDay[w] != nil { break }
                if MoneyReader.after[w] != nil { break }
                if NumberReader.units[w] != nil || NumberReader.tens[w] != nil { break }
                if w.utf8.count < 2 && !(tok.hasUpper) { break }
                words.append(w)
            } else if tok.kind == .number, !words.isEmpty, tok.text.utf8.count <= 4, tok.spaceBefore || !words.isEmpty {
                // model numbers: "iphone 15", "galaxy s23"
                words.append(tok.text)
            } else if tok.isPunct("-"), !words.isEmpty, i + 1 < t.count, !tok.spaceBefore, !t[i + 1].spaceBefore, t[i + 1].kind == .word {
                i += 1
                words[words.count - 1] += "-" + t[i].text
            } else {
                break
            }
            i += 1
        }
        guard !words.isEmpty else { return nil }
        if Words.nonProducts.contains(words[0]) && words.count == 1 { return nil }
        if let last = words.last, last.utf8.first.map(ASCII.isLetter) ?? false { words[words.count - 1] = Words.singular(last) }
        if words.count == 1, Words.nonProducts.contains(words[0]) { return nil }
        if let head = words.last, Words.addressNouns.contains(head) { return nil }
        return (words.joined(separator: " "), s..<i)
    }
}
