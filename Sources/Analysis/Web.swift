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
            while s < i, bytes[s] == UInt8(ascii: "+") || bytes[s] == UInt8(ascii: "-") || bytes[s] == UInt8(ascii: "_") { s += 1 }
            // ".abc@…" and "a..b@…" are not addresses.
            guard s < i, bytes[s] != UInt8(ascii: "."), !hasDoubleDot(bytes[s..<i]) else { i += 1; continue }
            if let e = ipLiteral(bytes, after: i) {
                result.append((String(decoding: bytes[s..<e], as: UTF8.self), s..<e))
                lastEnd = e
                i = e
                continue
            }
            var e = i + 1
            while e < n, isDomain(bytes[e]) { e += 1 }
            while e > i + 1, !ASCII.isAlnum(bytes[e - 1]) { e -= 1 }
            guard e > i + 1 else { i += 1; continue }
            let domain = Array(bytes[(i + 1)..<e])
            guard let lastDot = domain.lastIndex(of: UInt8(ascii: ".")), lastDot > 0 else { i += 1; continue }
            let tld = domain[(lastDot + 1)...]
            guard tld.count >= 2, tld.allSatisfy(ASCII.isLetter), !hasDoubleDot(domain[...]) else {
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

    /// Whether two dots follow each other in `b`.
    private static func hasDoubleDot(_ b: ArraySlice<UInt8>) -> Bool {
        var k = b.startIndex
        while k + 1 < b.endIndex {
            if b[k] == UInt8(ascii: "."), b[k + 1] == UInt8(ascii: ".") { return true }
            k += 1
        }
        return false
    }

    /// Addresses spelled out to dodge scrapers: "rahul dot k at gmail dot com", "sales (at) shop [dot] in".
    static func spelledEmails(_ bytes: [UInt8]) -> [(String, Range<Int>)] {
        var words: [(start: Int, end: Int, text: [UInt8])] = []
        var k = 0
        while k < bytes.count {
            while k < bytes.count, ASCII.isSpace(bytes[k]) { k += 1 }
            let s = k
            while k < bytes.count, !ASCII.isSpace(bytes[k]) { k += 1 }
            if k > s { words.append((s, k, bytes[s..<k].map(ASCII.lower))) }
        }
        func bare(_ w: [UInt8]) -> [UInt8] {
            var w = w[...]
            while let f = w.first, f == UInt8(ascii: "(") || f == UInt8(ascii: "[") || f == UInt8(ascii: "{") { w = w.dropFirst() }
            while let l = w.last, l == UInt8(ascii: ")") || l == UInt8(ascii: "]") || l == UInt8(ascii: "}") { w = w.dropLast() }
            return Array(w)
        }
        let at = Array("at".utf8), dot = Array("dot".utf8)
        func isLabel(_ w: [UInt8]) -> Bool { !w.isEmpty && w.allSatisfy { ASCII.isAlnum($0) || $0 == UInt8(ascii: "-") } }
        var result: [(String, Range<Int>)] = []
        var i = 1
        while i + 3 < words.count {
            guard bare(words[i].text) == at else { i += 1; continue }
            // Domain: label (dot label)+, ending in a known top-level domain.
            var host = words[i + 1].text
            var j = i + 2
            var end = words[i + 1].end
            while j + 1 < words.count, bare(words[j].text) == dot {
                var label = words[j + 1].text
                var trimmed = 0
                while let l = label.last, ".,!?;:)".utf8.contains(l) { label.removeLast(); trimmed += 1 }
                guard isLabel(label) else { break }
                host += [UInt8(ascii: ".")] + label
                end = words[j + 1].end - trimmed
                j += 2
                if trimmed > 0 { break }
            }
            guard isLabel(words[i + 1].text), j > i + 2, hasKnownTLD(host) else { i += 1; continue }
            // Local part: a word, and "word dot" pieces before it.
            var local = words[i - 1].text
            var start = words[i - 1].start
            var b = i - 1
            while b >= 2, bare(words[b - 1].text) == dot, words[b - 2].text.allSatisfy({ isLocal($0) }) {
                local = words[b - 2].text + [UInt8(ascii: ".")] + local
                start = words[b - 2].start
                b -= 2
            }
            guard local.allSatisfy({ isLocal($0) }), local.contains(where: ASCII.isAlnum), local.first != UInt8(ascii: ".") else { i += 1; continue }
            result.append((String(decoding: local, as: UTF8.self) + "@" + String(decoding: host, as: UTF8.self), start..<end))
            i = j
        }
        return result
    }

    /// "user@[192.0.2.1]": the end of a bracketed IPv4 domain right after the `@` at `at`.
    private static func ipLiteral(_ bytes: [UInt8], after at: Int) -> Int? {
        var k = at + 1
        guard k < bytes.count, bytes[k] == UInt8(ascii: "[") else { return nil }
        k += 1
        var parts = 0
        while parts < 4 {
            let s = k
            while k < bytes.count, ASCII.isDigit(bytes[k]), k - s < 3 { k += 1 }
            guard k > s else { return nil }
            parts += 1
            if parts < 4 { guard k < bytes.count, bytes[k] == UInt8(ascii: ".") else { return nil }; k += 1 }
        }
        guard k < bytes.count, bytes[k] == UInt8(ascii: "]") else { return nil }
        return k + 1
    }

    static let tlds: Set<String> = [
        "com", "in", "org", "net", "io", "co", "shop", "store", "app", "ai", "biz", "info", "me", "uk", "us", "dev",
        "online", "site", "xyz", "ly", "gl", "gg", "tv", "edu", "gov", "mil", "int", "ca", "au", "de", "fr", "nl", "sa", "ae",
        "sg", "cn", "jp", "br", "ru", "it", "es", "ch", "se", "no", "dk", "pk", "lk", "np", "bd", "nz", "za", "ie", "am", "fm",
        "to", "cc", "name", "pro", "tech", "link", "live", "club", "world", "news", "blog", "cloud", "page", "in.net",
    ]
    /// Second-level labels under a country code ("com.sa", "co.uk").
    static let secondLevel: Set<String> = ["com", "co", "org", "net", "ac", "gov", "edu"]

    /// Whether `host` (lower-cased) ends in a top-level domain we accept: a known one, or a
    /// two-letter country code after a second-level label or with a subdomain in front.
    static func hasKnownTLD(_ host: [UInt8]) -> Bool {
        let labels = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else { return false }
        let tld = String(decoding: labels[labels.count - 1], as: UTF8.self)
        guard tld.utf8.allSatisfy(ASCII.isLetter) else { return false }
        if tlds.contains(tld) { return true }
        guard tld.utf8.count == 2 else { return false }
        return labels.count >= 3 || secondLevel.contains(String(decoding: labels[labels.count - 2], as: UTF8.self))
    }

    /// A dotted IPv4 host ("127.0.0.1").
    static func isIPv4(_ host: [UInt8]) -> Bool {
        let parts = host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(ASCII.isDigit) }
    }

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
            guard ASCII.isLetter(b) else { i += 1; continue }
            let scheme = startsWith("http://", at: i) ? 7 : (startsWith("https://", at: i) ? 8 : (startsWith("ftp://", at: i) ? 6 : 0))
            // A scheme may follow punctuation ("MORE:https://…", "5th.https://…"); a bare host may not.
            let glued = i > 0 && (ASCII.isAlnum(bytes[i - 1]) || bytes[i - 1] == UInt8(ascii: "@") || bytes[i - 1] == UInt8(ascii: "."))
            guard !glued || (scheme > 0 && !ASCII.isLetter(bytes[i - 1])) else { i += 1; continue }
            let explicit = scheme > 0 || startsWith("www.", at: i)
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
                // The host must be a name with a known top-level domain, or an IPv4 address.
                var h = i + scheme
                while h < e, bytes[h] != UInt8(ascii: "/"), bytes[h] != UInt8(ascii: "?"), bytes[h] != UInt8(ascii: "#"), bytes[h] != UInt8(ascii: ":") { h += 1 }
                let host = bytes[(i + scheme)..<h].map(ASCII.lower)
                if host.allSatisfy(isDomain), hasKnownTLD(host) || isIPv4(host) {
                    result.append((String(decoding: bytes[i..<e], as: UTF8.self), i..<e))
                }
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
                let label = bytes[i..<dot]
                if hasKnownTLD(host.map(ASCII.lower)), label.count >= 2, label.contains(where: ASCII.isLetter) {
                    result.append((String(decoding: bytes[i..<e], as: UTF8.self), i..<e))
                    i = e
                    continue
                }
            }
            // Skip this run up to a scheme inside it: no other URL starts in it (keeps the scan linear).
            var k = i + 1
            while k < n, bytes[k] > 0x20, bytes[k] < 0x7F, !(ASCII.lower(bytes[k]) == UInt8(ascii: "h") && (startsWith("http://", at: k) || startsWith("https://", at: k))) { k += 1 }
            i = max(k, i + 1)
        }
        return result
    }
}
