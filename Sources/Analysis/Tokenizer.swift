/// Precomputed facts about a word, looked up once per token so the extractors can skip
/// words that cannot matter to them without hashing again.
struct WordClass: OptionSet, Sendable {
    let rawValue: UInt32
    static let phraseStart = WordClass(rawValue: 1 << 0)
    static let dateWord = WordClass(rawValue: 1 << 1)
    static let hedge = WordClass(rawValue: 1 << 2)
    static let urgency = WordClass(rawValue: 1 << 3)
    static let request = WordClass(rawValue: 1 << 4)
    static let orderNoun = WordClass(rawValue: 1 << 5)
    static let pointer = WordClass(rawValue: 1 << 6)
    static let contrast = WordClass(rawValue: 1 << 7)
    static let negator = WordClass(rawValue: 1 << 8)
    static let marker = WordClass(rawValue: 1 << 9)
    static let sentiment = WordClass(rawValue: 1 << 10)
    static let numberWord = WordClass(rawValue: 1 << 11)
    static let currencyWord = WordClass(rawValue: 1 << 12)
    static let orderKeyword = WordClass(rawValue: 1 << 13)
    static let productPointer = WordClass(rawValue: 1 << 14)
    static let known = WordClass(rawValue: 1 << 15)
    static let monthName = WordClass(rawValue: 1 << 16)
    /// Ordinal day words and the tens that start them ("ninth", "twenty").
    static let dayOrdinal = WordClass(rawValue: 1 << 17)
    /// Denominators of fractions ("thirds", "hundredth").
    static let fractionWord = WordClass(rawValue: 1 << 18)
}

/// One token of a message. Offsets are UTF-8 byte offsets into the original text.
struct Token: Sendable {
    enum Kind: UInt8, Sendable {
        case word, number, punct, currency, emoji, other
    }

    var kind: Kind
    var start: Int
    var end: Int
    /// Lower-cased text for words, the digits for numbers, the character for punctuation.
    var text: String
    /// Slang- and typo-normalized form of a word (equal to `text` when nothing applies).
    var norm: String
    /// Whether whitespace (or the start of the text) precedes the token.
    var spaceBefore: Bool
    /// Whether the original word had an upper-case letter.
    var hasUpper: Bool
    /// The punctuation or currency byte value for single-byte tokens (0 otherwise).
    var byte: UInt8
    /// Facts about `norm` (empty for non-words).
    var cls: WordClass = []

    var isWord: Bool { kind == .word }
    var isNumber: Bool { kind == .number }
    func isPunct(_ c: Character) -> Bool { kind == .punct && byte == c.asciiValue }
}

/// ASCII classification helpers over UTF-8 bytes.
enum ASCII {
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || isLetter(b) }
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { (b &- 0x41 < 26) ? b | 0x20 : b }
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
}

/// Splits UTF-8 text into words, digit runs, punctuation, currency symbols and emoji.
/// Linear in the input; never fails on any byte sequence.
struct Tokenizer: Sendable {
    let slang: [String: String]
    let classes: [String: WordClass]
    /// A word's slang form and classes under one key, so a word costs one lookup.
    private let lexicon: [String: Lexeme]

    private struct Lexeme {
        var slang: String?
        var cls: WordClass = []
    }

    init(slang: [String: String], classes: [String: WordClass] = [:]) {
        self.slang = slang
        self.classes = classes
        var lexicon: [String: Lexeme] = [:]
        for (word, cls) in classes { lexicon[word, default: Lexeme()].cls = cls }
        for (word, form) in slang { lexicon[word, default: Lexeme()].slang = form }
        self.lexicon = lexicon
    }

    func tokenize(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(bytes.count / 4 + 4)
        var i = 0
        let n = bytes.count
        var space = true
        var scratch: [UInt8] = []
        scratch.reserveCapacity(32)
        while i < n {
            let b = bytes[i]
            if ASCII.isSpace(b) { space = true; i += 1; continue }
            if ASCII.isDigit(b) {
                let s = i
                while i < n, ASCII.isDigit(bytes[i]) { i += 1 }
                let text = String(decoding: bytes[s..<i], as: UTF8.self)
                tokens.append(Token(kind: .number, start: s, end: i, text: text, norm: text, spaceBefore: space, hasUpper: false, byte: 0, cls: classes[text] ?? []))
                space = false
                continue
            }
            if b < 0x80 && !ASCII.isLetter(b) {
                let kind: Token.Kind = b == UInt8(ascii: "$") ? .currency : (b < 0x20 || b == 0x7F ? .other : .punct)
                if kind == .other { space = true; i += 1; continue }
                let text = String(UnicodeScalar(b))
                tokens.append(Token(kind: kind, start: i, end: i + 1, text: text, norm: text, spaceBefore: space, hasUpper: false, byte: b))
                space = false
                i += 1
                continue
            }
            // Non-ASCII: decode one scalar to classify.
            if b >= 0x80 {
                let (scalar, length) = Tokenizer.decode(bytes, at: i)
                let v = scalar
                if (v >= 0x20A0 && v <= 0x20C0) || v == 0xA3 || v == 0xA5 {
                    let text = String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                    tokens.append(Token(kind: .currency, start: i, end: i + length, text: text, norm: text, spaceBefore: space, hasUpper: false, byte: 0))
                    space = false
                    i += length
                    continue
                }
                if Tokenizer.isEmoji(v) {
                    let text = String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                    tokens.append(Token(kind: .emoji, start: i, end: i + length, text: text, norm: text, spaceBefore: space, hasUpper: false, byte: 0))
                    space = false
                    i += length
                    continue
                }
                if (v >= 0xBC && v <= 0xBE) || (v >= 0x2150 && v <= 0x215E) {
                    // "½", "⅔": a number of their own (NumberReader.vulgarFractions).
                    let text = String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                    tokens.append(Token(kind: .other, start: i, end: i + length, text: text, norm: text, spaceBefore: space, hasUpper: false, byte: 0))
                    space = false
                    i += length
                    continue
                }
                if !Tokenizer.isWordScalar(v) {
                    // Punctuation, spaces, joiners, variation selectors and the like separate words.
                    space = true
                    i += length
                    continue
                }
            }
            // A word: letters (ASCII or not), with inner apostrophes.
            let s = i
            var upper = false
            scratch.removeAll(keepingCapacity: true)
            while i < n {
                let c = bytes[i]
                if ASCII.isLetter(c) {
                    if c < 0x60 { upper = true }
                    scratch.append(ASCII.lower(c)); i += 1
                } else if c == UInt8(ascii: "'"), i + 1 < n, ASCII.isLetter(bytes[i + 1]), i > s {
                    i += 1 // drop inner apostrophes: don't -> dont
                } else if c >= 0x80 {
                    let (scalar, length) = Tokenizer.decode(bytes, at: i)
                    if scalar == 0x2019, i + length < n, ASCII.isLetter(bytes[i + length]) { i += length; continue }
                    guard Tokenizer.isWordScalar(scalar), !Tokenizer.isEmoji(scalar) else { break }
                    scratch.append(contentsOf: bytes[i..<(i + length)]); i += length
                } else {
                    break
                }
            }
            if i == s { i += 1; space = true; continue }
            let text = String(decoding: scratch, as: UTF8.self)
            let entry = lexicon[text]
            let norm = entry?.slang ?? text
            let cls = norm == text ? entry?.cls ?? [] : (classes[norm] ?? []).union(entry?.cls ?? [])
            tokens.append(Token(kind: .word, start: s, end: i, text: text, norm: norm, spaceBefore: space, hasUpper: upper, byte: 0, cls: cls))
            space = false
        }
        return tokens
    }

    /// Decodes one scalar; invalid sequences count as U+FFFD of length 1.
    @inline(__always)
    static func decode(_ bytes: [UInt8], at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        let n = bytes.count
        func cont(_ k: Int) -> UInt32? {
            guard i + k < n else { return nil }
            let c = bytes[i + k]
            return c & 0xC0 == 0x80 ? UInt32(c & 0x3F) : nil
        }
        if b0 & 0xE0 == 0xC0, let c1 = cont(1) { return (((b0 & 0x1F) << 6) | c1, 2) }
        if b0 & 0xF0 == 0xE0, let c1 = cont(1), let c2 = cont(2) { return (((b0 & 0x0F) << 12) | (c1 << 6) | c2, 3) }
        if b0 & 0xF8 == 0xF0, let c1 = cont(1), let c2 = cont(2), let c3 = cont(3) {
            return (((b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4)
        }
        return (0xFFFD, 1)
    }

    static func isEmoji(_ v: UInt32) -> Bool {
        (v >= 0x1F300 && v <= 0x1FAFF) || (v >= 0x2600 && v <= 0x27BF) || (v >= 0x1F000 && v <= 0x1F2FF)
    }

    /// Letters and marks of any script count as word characters.
    static func isWordScalar(_ v: UInt32) -> Bool {
        if v < 0x80 { return false }
        if v == 0xFFFD { return false }
        if v >= 0x2000 && v <= 0x2BFF { return false } // general punctuation, symbols, arrows
        if v >= 0x3000 && v <= 0x303F { return false } // CJK punctuation
        if v >= 0xFE00 && v <= 0xFE0F { return false } // variation selectors
        if v == 0xA0 || v == 0xAD || (v >= 0xA1 && v <= 0xBF) || v == 0xD7 || v == 0xF7 { return false }
        if v >= 0xE000 && v <= 0xF8FF { return false }
        if v >= 0xFFF0 { return v >= 0x10000 && !isEmoji(v) && !(v >= 0xE0000) }
        return true
    }
}
