/// One-edit typo correction toward the cue vocabulary (symmetric delete index).
struct TypoCorrector: Sendable {
    private let words: Set<String>
    private let deletes: [String: String]
    /// One bit per `Shape` of the strings in `words` and `deletes`: a candidate whose bit is
    /// clear is in neither, so `correct` builds and hashes no string for it.
    private let shapes: [UInt64]

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
        var bits = [UInt64](repeating: 0, count: Shape.bitCount / 64)
        for s in exact.union(del.keys) {
            let u = Array(s.utf8)
            let bit = Shape.bit(length: u.count) { u[$0] }
            bits[bit >> 6] |= 1 << UInt64(bit & 63)
        }
        shapes = bits
    }

    /// A string's length and first four bytes, hashed to a bit index.
    enum Shape {
        static let bitCount = 1 << 18

        static func bit(length: Int, byteAt: (Int) -> UInt8) -> Int {
            var h = length
            for k in 0..<4 { h = h &* 31 &+ Int(byteAt(k)) }
            return (h &* 0x9E37_79B1) >> 7 & (bitCount - 1)
        }
    }

    private func mayContain(_ bit: Int) -> Bool { shapes[bit >> 6] & (1 << UInt64(bit & 63)) != 0 }

    static func deletions(_ w: String) -> [String] {
        let u = Array(w.utf8)
        var out: [String] = []
        out.reserveCapacity(u.count)
        for k in 0..<u.count { out.append(deletion(u, at: k)) }
        return out
    }

    static func deletion(_ u: [UInt8], at k: Int) -> String {
        var v = u
        v.remove(at: k)
        return String(decoding: v, as: UTF8.self)
    }

    /// The vocabulary word one edit away from `w`, if exactly one is.
    func correct(_ w: String) -> String? {
        let n = w.utf8.count
        guard n >= 5, n <= 16, w.utf8.allSatisfy(ASCII.isLetter) else { return nil }
        let u = Array(w.utf8)
        if mayContain(Shape.bit(length: n) { u[$0] }) {
            if words.contains(w) { return nil }
            if let c = deletes[w] { return c } // a letter missing
        }
        for k in 0..<n where mayContain(Shape.bit(length: n - 1) { $0 < k ? u[$0] : u[$0 + 1] }) {
            let d = TypoCorrector.deletion(u, at: k)
            if words.contains(d) { return d } // an extra letter
            if n >= 6, let c = deletes[d], c.utf8.count == n { return c } // a substitution or transposition
        }
        return nil
    }
}
