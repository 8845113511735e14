/// Product names: catalog entries (fuzzy, case- and plural-insensitive) or the noun phrase an
/// order verb points at.
struct ProductMatcher: Sendable {
    struct Entry { var name: String; var tokens: [String] }

    static func normalizeWords(_ text: String) -> [String] {
        var words: [String] = []
        var current: [UInt8] = []
        for b in text.utf8 {
            if ASCII.isAlnum(b) || b >= 0x80 { current.append(ASCII.lower(b)) } else if !current.isEmpty {
                words.append(Words.singular(String(decoding: current, as: UTF8.self))); current.removeAll()
            }
        }
        if !current.isEmpty { words.append(Words.singular(String(decoding: current, as: UTF8.self))) }
        return words
    }

    /// Catalog names found in the message, in order of appearance, with their token ranges.
    static func matchCatalog(_ catalog: [String], tokens t: [Token]) -> [(String, Range<Int>)] {
        guard !catalog.isEmpty, !t.isEmpty else { return [] }
        // Message words (letters and digits), singularized, with token indices.
        var words: [(String, Int)] = []
        words.reserveCapacity(t.count)
        for (k, tok) in t.enumerated() where tok.kind == .word || tok.kind == .number {
            words.append((tok.kind == .word ? Words.singular(tok.text) : tok.text, k))
        }
        var found: [(String, Range<Int>, Int)] = []
        for name in catalog.prefix(500) {
            let entry = normalizeWords(name)
            guard !entry.isEmpty, entry.count <= 8 else { continue }
            var best: (Int, Range<Int>)?
            var w = 0
            while w < words.count {
                // Longest run of consecutive entry tokens matched from any entry position.
                var matched = 0
                var e = 0
                while e < entry.count, matched == 0 {
                    if similar(words[w].0, entry[e]) {
                        var m = 1
                        while w + m < words.count, e + m < entry.count, similar(words[w + m].0, entry[e + m]) { m += 1 }
                        matched = m
                    } else { e += 1 }
                }
                if matched > 0 {
                    let distinctive = entry.count == 1 || matched >= 2 || (matched == 1 && words[w].0.utf8.count >= 4 && entry.count <= 3 && !Words.function.contains(words[w].0))
                    let good = matched == entry.count || (matched * 2 >= entry.count && distinctive)
                    if good, best == nil || matched > best!.0 {
                        best = (matched, words[w].1..<(t[words[w + matched - 1].1].end > 0 ? words[w + matched - 1].1 + 1 : 0))
                    }
                    w += matched
                } else { w += 1 }
            }
            if let b = best { found.append((name, b.1, b.0)) }
        }
        // Prefer longer matches when two catalog entries claim the same words.
        found.sort { $0.2 > $1.2 }
        var taken: [Range<Int>] = []
        var result: [(String, Range<Int>)] = []
        for f in found where !taken.contains(where: { $0.overlaps(f.1) }) {
            taken.append(f.1)
            result.append((f.0, f.1))
        }
        result.sort { $0.1.lowerBound < $1.1.lowerBound }
        return result
    }

    /// Case-, plural- and one-typo-insensitive word equality.
    static func similar(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count >= 5, y.count >= 5, abs(x.count - y.count) <= 1 else { return false }
        return Fuzzy.withinOne(x, y)
    }

    static let purchaseVerbs: Set<String> = ["buy", "order", "purchase", "get", "book"]
    static let youWords: Set<String> = ["you", "u", "ya", "yall"]
    static let priceNouns: Set<String> = ["price", "cost", "rate", "prices", "mrp", "availability"]
    static let determiners: Set<String> = ["a", "an", "the", "some", "any", "your", "this", "that", "these", "those", "new", "one", "my", "ur"]
    /// Phrases after an order verb that name no product ("want help", "need a refund").
    static let nonProductPhrases: Set<String> = [
        "it", "this", "that", "help", "refund", "cancel", "return", "info", "information", "details", "status", "update", "call", "callback",
        "agent", "human", "someone", "somebody", "anything", "something", "nothing",
    ]
    static let pointers: Set<String> = ["buy", "order", "purchase", "want", "need", "get", "interested", "looking", "searching", "sell", "have", "stock", "of"]

    /// Noun phrases after order verbs: "I want to buy a laptop", "looking for running shoes",
    /// "do you have iphone 15".
    static func orderPhrases(_ t: [Token], claimed: [Bool], reader: QuantityReader) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var i = 0
        while i < t.count {
            let w = t[i].norm
            var j = -1
            if !t[i].cls.contains(.productPointer) { i += 1; continue }
            switch w {
            case "buy", "purchase", "order", "want", "need", "get":
                j = i + 1
                if j < t.count, t[j].norm == "to", j + 1 < t.count, ProductMatcher.purchaseVerbs.contains(t[j + 1].norm) { j += 2 }
            case "looking", "interested", "searching":
                if i + 1 < t.count, t[i + 1].norm == "for" || t[i + 1].norm == "in" { j = i + 2 }
            case "have", "sell", "stock":
                if i > 0, ProductMatcher.youWords.contains(t[i - 1].norm) { j = i + 1 }
            case "of":
                if i > 0, ProductMatcher.priceNouns.contains(t[i - 1].norm) { j = i + 1 }
            default:
                break
            }
            if j > 0 {
                while j < t.count, ProductMatcher.determiners.contains(t[j].norm) { j += 1 }
                if j < t.count, t[j].kind == .word, let (p, r) = reader.nounPhrase(t, at: j, claimed: claimed) {
                    if !ProductMatcher.nonProductPhrases.contains(p) {
                        out.append((p, r))
                        i = r.upperBound
                        continue
                    }
                }
            }
            i += 1
        }
        return out
    }
}

enum Fuzzy {
    /// Levenshtein distance ≤ 1 or one adjacent transposition.
    static func withinOne(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        if x.count == y.count {
            var diffs: [Int] = []
            for k in 0..<x.count where x[k] != y[k] {
                diffs.append(k)
                if diffs.count > 2 { return false }
            }
            if diffs.count <= 1 { return true }
            return diffs[1] == diffs[0] + 1 && x[diffs[0]] == y[diffs[1]] && x[diffs[1]] == y[diffs[0]]
        }
        let (s, l) = x.count < y.count ? (x, y) : (y, x)
        guard l.count == s.count + 1 else { return false }
        var i = 0, j = 0, skipped = false
        while i < s.count, j < l.count {
            if s[i] == l[j] { i += 1; j += 1 } else if skipped { return false } else { skipped = true; j += 1 }
        }
        return true
    }
}
