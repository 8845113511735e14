/// One-edit typo correction toward the cue vocabulary (symmetric delete index).
struct TypoCorrector: Sendable {
    private let words: Set<String>
    private let deletes: [String: String]

    init(vocabulary: Set<String>) {
        var exact: Set<String> = []
        var del: [String: String] = [:]
        var ambiguous: Set<String> = []
        for w in vocabulary where w.utf8.count >= 5 && w.utf8.allSatisfy(ASCII.isLetter) {
            exact.insert(w)
            for d in TypoCorrector.deletions(w) {
                if let other = del[d], other != w { ambiguous.insert(d) } else { del[d] = w }
            }
        }
        for a in ambiguous { del[a] = nil }
        // A deletion that is itself a real vocabulary word is not a typo.
        for w in exact { if del[w] != nil { del[w] = nil } }
        words = exact
        deletes = del
    }

    static func deletions(_ w: String) -> [String] {
        let u = Array(w.utf8)
        var out: [String] = []
        out.reserveCapacity(u.count)
        for k in 0..<u.count {
            var v = u
            v.remove(at: k)
            out.append(String(decoding: v, as: UTF8.self))
        }
        return out
    }

    /// The vocabulary word one edit away from `w`, if exactly one is.
    func correct(_ w: String) -> String? {
        let n = w.utf8.count
        guard n >= 5, n <= 16, !words.contains(w), w.utf8.allSatisfy(ASCII.isLetter) else { return nil }
        if let c = deletes[w] { return c } // a letter missing
        for d in TypoCorrector.deletions(w) {
            if words.contains(d) { return d } // an extra letter
            if n >= 6, let c = deletes[d], c.utf8.count == n { return c } // a substitution or transposition
        }
        return nil
    }
}
