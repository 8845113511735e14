/// Byte-level scanners for e-mail addresses and URLs.
enum WebScanner {
    @inline(__always) private static func isLocal(_ b: UInt8) -> Bool {
        ASCII.isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "%")
            || b == UInt8(ascii: "+") || b == UInt8(ascii: "-")
    }
    @inline(__always) private static func isDomain(_ b: UInt8) -> Bool {
        ASCII.isAlnum(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }

    /// E-mail addresses with the domain lower-cased, and their byte ranges.
    static func emails(_ bytes: [UInt8]) -> [(String, Range<Int>)] {
        var result: [(String, Range<Int>)] = []
        let n = bytes.count
        var i = 0
        var lastEnd = 0
        while i < n {
            guard bytes[i] == UInt8(ascii: "@") else { i += 1; continue }
            defer { lastEnd = max(lastEnd, i) }
            var s = i
            while s > lastEnd, isLocal(bytes[s - 1]) { s -= 1 }
            while s < i, !ASCII.isAlnum(bytes[s]) { s += 1 } // no leading dots or pluses
            var e = i + 1
            while e < n, isDomain(bytes[e]) { e += 1 }
            while e > i + 1, !ASCII.isAlnum(bytes[e - 1]) { e -= 1 }
            guard s < i, e > i + 1 else { i += 1; continue }
            let domain = Array(bytes[(i + 1)..<e])
            guard let lastDot = domain.lastIndex(of: UInt8(ascii: ".")), lastDot > 0 else { i += 1; continue }
            let tld = domain[(lastDot + 1)...]
            guard tld.count >= 2, tld.allSatisfy(ASCII.isLetter), !domain.contains([UInt8(ascii: "."), UInt8(ascii: ".")]) else {
                i += 1; continue
            }
            var local = Array(bytes[s..<i])
            while let last = local.last, last == UInt8(ascii: ".") { local.removeLast() }
            let email = String(decoding: local, as: UTF8.self) + "@" + String(decoding: domain.map(ASCII.lower), as: UTF8.self)
            result.append((email, s..<e))
            lastEnd = e
            i = e
        }
        return result
    }

    static let tlds: Set<String> = [
        "com", "in", "org", "net", "io", "co", "shop", "store", "app", "ai", "biz", "info", "me", "uk", "us", "dev",
        "online", "site", "xyz", "ly", "gl", "gg", "tv",
    ]

    /// URLs: scheme://…, www.…, or a bare host with a common TLD (not part of an e-mail).
    static func urls(_ bytes: [UInt8], excluding taken: [Range<Int>]) -> [(String, Range<Int>)] {
        var result: [(String, Range<Int>)] = []
        let n = bytes.count
        var i = 0
        func startsWith(_ p: StaticString, at k: Int) -> Bool {
            let c = p.utf8CodeUnitCount
            guard k + c <= n else { return false }
            let ptr = p.utf8Start
            for o in 0..<c where ASCII.lower(bytes[k + o]) != ptr[o] { return false }
            return true
        }
        func inTaken(_ k: Int) -> Bool { taken.contains { $0.contains(k) } }
        while i < n {
            let b = bytes[i]
            guard ASCII.isLetter(b), i == 0 || !(ASCII.isAlnum(bytes[i - 1]) || bytes[i - 1] == UInt8(ascii: "@") || bytes[i - 1] == UInt8(ascii: ".")) else {
                i += 1; continue
            }
            var explicit = false
            if startsWith("http://", at: i) || startsWith("https://", at: i) || startsWith("www.", at: i) { explicit = true }
            // Scan a run of URL characters.
            var e = i
            while e < n {
                let c = bytes[e]
                if c <= 0x20 || c >= 0x7F || c == UInt8(ascii: "\"") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") { break }
                e += 1
            }
            // Trailing punctuation is sentence punctuation.
            while e > i, let last = Optional(bytes[e - 1]),
                last == UInt8(ascii: ".") || last == UInt8(ascii: ",") || last == UInt8(ascii: "!") || last == UInt8(ascii: "?")
                    || last == UInt8(ascii: ";") || last == UInt8(ascii: ":") || last == UInt8(ascii: ")") || last == UInt8(ascii: "'")
                    || last == UInt8(ascii: "]") {
                e -= 1
            }
            if inTaken(i) { i = max(e, i + 1); continue }
            if explicit {
                if e - i > 8 { result.append((String(decoding: bytes[i..<e], as: UTF8.self), i..<e)) }
                i = max(e, i + 1)
                continue
            }
            // Bare host: letters/digits/hyphens, dots, a known TLD, optional path.
            var h = i
            while h < e, bytes[h] != UInt8(ascii: "/"), bytes[h] != UInt8(ascii: "?") { h += 1 }
            let host = bytes[i..<h]
            if host.contains(UInt8(ascii: ".")), !host.contains(UInt8(ascii: "@")),
                host.allSatisfy({ isDomain($0) }),
                let dot = host.lastIndex(of: UInt8(ascii: ".")) {
                let tld = String(decoding: bytes[(dot + 1)..<h].map(ASCII.lower), as: UTF8.self)
                let label = bytes[i..<dot]
                if tlds.contains(tld), label.count >= 2, label.contains(where: ASCII.isLetter) {
                    result.append((String(decoding: bytes[i..<e], as: UTF8.self), i..<e))
                    i = e
                    continue
                }
            }
            // Skip this whole run: no URL starts inside it (keeps the scan linear).
            var k = i
            while k < n, bytes[k] > 0x20, bytes[k] < 0x7F { k += 1 }
            i = max(k, i + 1)
        }
        return result
    }
}
