/// Order, booking and tracking identifiers: "ORD-48213", "OD1234567", "#48213" after "order",
/// "order number 48213".
enum OrderIDReader {
    static let prefixes: Set<String> = ["ord", "od", "order", "inv", "awb", "ref", "tkt", "bk", "bkg", "trk", "so", "po", "req", "cs", "ticket"]
    static let keywords: Set<String> = ["order", "orders", "ord", "booking", "tracking", "awb", "reference", "ref", "ticket", "invoice", "shipment", "consignment", "parcel", "package", "complaint", "case"]
    static let fillers: Set<String> = ["no", "number", "num", "nr", "id", "is", "#", ".", ":", "-", "code", "of", "my", "was", "with", "ka", "hai"]

    /// A compound alphanumeric token starting at `i` (adjacent words/numbers joined by nothing,
    /// '-' or '_'), as (end token index, letters count, digits count).
    static func compound(_ t: [Token], at i: Int) -> (end: Int, letters: Int, digits: Int)? {
        guard i < t.count, t[i].kind == .word || t[i].kind == .number else { return nil }
        var j = i + 1
        var letters = t[i].kind == .word ? t[i].text.utf8.count : 0
        var digits = t[i].kind == .number ? t[i].text.utf8.count : 0
        while j < t.count, !t[j].spaceBefore {
            if t[j].kind == .word || t[j].kind == .number {
                if t[j].kind == .word { letters += t[j].text.utf8.count } else { digits += t[j].text.utf8.count }
                j += 1
            } else if (t[j].isPunct("-") || t[j].isPunct("_")), j + 1 < t.count, !t[j + 1].spaceBefore,
                t[j + 1].kind == .word || t[j + 1].kind == .number {
                j += 1
            } else {
                break
            }
        }
        return (j, letters, digits)
    }

    /// The original text of tokens `i..<end`.
    private static func text(_ t: [Token], _ bytes: [UInt8], _ i: Int, _ end: Int) -> String {
        String(decoding: bytes[t[i].start..<t[end - 1].end], as: UTF8.self)
    }

    static func scan(_ t: [Token], _ bytes: [UInt8], claimed: [Bool], isCount: (Token) -> Bool) -> [(String, Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var i = 0
        var lastKeyword = -100
        while i < t.count {
            if claimed[i] { i += 1; continue }
            if t[i].kind == .word, t[i].cls.contains(.orderKeyword) { lastKeyword = i }
            // "#48213" or "#AB123"
            if t[i].isPunct("#"), i + 1 < t.count, !t[i + 1].spaceBefore, let c = compound(t, at: i + 1), c.digits >= 3 {
                out.append((text(t, bytes, i + 1, c.end), t[i].start..<t[c.end - 1].end))
                i = c.end
                continue
            }
            if t[i].kind == .word || t[i].kind == .number, t[i].spaceBefore || i == 0 || !(t[i - 1].kind == .word || t[i - 1].kind == .number),
                let c = compound(t, at: i), c.end > i {
                let afterKeyword = i - lastKeyword <= 4 && i > lastKeyword && fillersBetween(t, lastKeyword + 1, i)
                var accept = false
                if t[i].kind == .word, c.digits >= 3, c.end > i + 1 {
                    let prefix = t[i].text
                    let allCapsPrefix = t[i].hasUpper && bytes[t[i].start..<t[i].end].allSatisfy { !(ASCII.isLetter($0)) || $0 < 0x60 }
                    if prefixes.contains(prefix) && c.digits >= 3 { accept = true }
                    else if allCapsPrefix && prefix.utf8.count <= 5 && c.digits >= 5 { accept = true }
                    else if afterKeyword && c.digits >= 3 { accept = true }
                } else if t[i].kind == .number, afterKeyword, c.digits >= 4 || (c.letters > 0 && c.digits >= 3) {
                    // "order 5000 pcs" is a quantity, "order 48213 status" an id.
                    accept = !(c.end < t.count && (t[c.end].kind == .word && isCount(t[c.end]) || t[c.end].kind == .currency))
                    if accept, c.letters == 0, i > 0, t[i - 1].kind == .currency { accept = false }
                }
                if accept, c.letters <= 12 {
                    out.append((text(t, bytes, i, c.end), t[i].start..<t[c.end - 1].end))
                    i = c.end
                    continue
                }
            }
            i += 1
        }
        return out
    }

    private static func fillersBetween(_ t: [Token], _ a: Int, _ b: Int) -> Bool {
        var k = a
        while k < b {
            if !(fillers.contains(t[k].norm) || fillers.contains(t[k].text)) { return false }
            k += 1
        }
        return true
    }
}
