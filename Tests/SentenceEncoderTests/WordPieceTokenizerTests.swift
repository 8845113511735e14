import SentenceEncoder
import Testing

/// The tokenizer on a vocabulary small enough to reason about by hand; the real vocabulary is
/// checked against Hugging Face `tokenizers` in `ReferenceTests`.
@Suite struct WordPieceTokenizerTests {
    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##want", "##ed", "want", "##s", "runn", "##ing", ",", "!", "cafe", "你", "好", "?"]
    static func tokenizer(maxLength: Int = 16) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabularyText: vocabulary.joined(separator: "\n") + "\n", maxLength: maxLength)
    }
    static func ids(_ tokens: String...) -> [Int32] { tokens.map { Int32(vocabulary.firstIndex(of: $0)!) } }

    @Test func splitsWordsGreedilyLongestMatchFirstWithContinuationPieces() throws {
        #expect(try Self.tokenizer().tokenize("unwanted running").ids == Self.ids("[CLS]", "un", "##want", "##ed", "runn", "##ing", "[SEP]"))
        #expect(try Self.tokenizer().tokenize("wants").ids == Self.ids("[CLS]", "want", "##s", "[SEP]"))
    }

    @Test func aWordWithoutACompleteSplitIsUnknownAsAWhole() throws {
        #expect(try Self.tokenizer().tokenize("unwantedx want").ids == Self.ids("[CLS]", "[UNK]", "want", "[SEP]"))
    }

    @Test func lowerCasesStripsAccentsAndIsolatesPunctuation() throws {
        #expect(try Self.tokenizer().tokenize("CAFÉ,Want!").ids == Self.ids("[CLS]", "cafe", ",", "want", "!", "[SEP]"))
        #expect(try Self.tokenizer().tokenize("Ca\u{301}fe\u{301}?").ids == Self.ids("[CLS]", "cafe", "?", "[SEP]"))
    }

    @Test func dropsControlAndFormatCharactersAndTreatsOtherWhitespaceAsSpace() throws {
        #expect(try Self.tokenizer().tokenize("un\u{200D}want\u{0}ed\u{FFFD}\u{00A0}want\u{2003}s").ids == Self.ids("[CLS]", "un", "##want", "##ed", "want", "[UNK]", "[SEP]"))
        #expect(try Self.tokenizer().tokenize("want\tcafe\nwant").ids == Self.ids("[CLS]", "want", "cafe", "want", "[SEP]"))
    }

    @Test func ideographsAreWordsOfTheirOwn() throws {
        #expect(try Self.tokenizer().tokenize("你好want").ids == Self.ids("[CLS]", "你", "好", "want", "[SEP]"))
    }

    @Test func emptyAndBlankTextIsJustTheSpecialTokens() throws {
        #expect(try Self.tokenizer().tokenize("").ids == Self.ids("[CLS]", "[SEP]"))
        #expect(try Self.tokenizer().tokenize(" \t\n ").ids == Self.ids("[CLS]", "[SEP]"))
    }

    @Test func wordsLongerThanTheCharacterLimitAreUnknown() throws {
        #expect(try Self.tokenizer().tokenize(String(repeating: "un", count: 51)).ids == Self.ids("[CLS]", "[UNK]", "[SEP]"))
    }

    @Test func truncatesToTheMaximumLengthKeepingTheSeparator() throws {
        let tokenizer = try Self.tokenizer(maxLength: 5)
        #expect(tokenizer.tokenize("want want want want want").ids == Self.ids("[CLS]", "want", "want", "want", "[SEP]"))
        #expect(tokenizer.tokenize("unwanted unwanted").ids == Self.ids("[CLS]", "un", "##want", "##ed", "[SEP]"))
        for length in 0..<12 {
            let ids = tokenizer.tokenize(Array(repeating: "unwanted", count: length).joined(separator: " ")).ids
            #expect(ids.count <= 5 && ids.first == 2 && ids.last == 3)
        }
    }

    @Test func refusesAVocabularyWithoutItsSpecialTokensOrWithRepeats() {
        #expect(throws: SentenceEncoderError.self) { try WordPieceTokenizer(vocabularyText: "[CLS]\n[SEP]\nwant\n", maxLength: 8) }
        #expect(throws: SentenceEncoderError.self) { try WordPieceTokenizer(vocabularyText: "[UNK]\n[CLS]\n[SEP]\nwant\nwant\n", maxLength: 8) }
        #expect(throws: SentenceEncoderError.self) { try WordPieceTokenizer(vocabularyText: "[UNK]\n[CLS]\n[SEP]\n", maxLength: 2) }
    }

    @Test func neverCrashesAndAlwaysFramesRandomText() throws {
        let tokenizer = try Self.tokenizer(maxLength: 12)
        var generator = SplitMix64(seed: 12)
        let alphabet: [Unicode.Scalar] = ["a", "u", "n", "w", " ", "\t", ",", "!", "é", "\u{301}", "\u{200D}", "\u{0}", "你", "😀", "İ", "ß", "\u{E000}", "\u{378}"]
        for _ in 0..<500 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int(generator.next() % 40) { text.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
            let ids = tokenizer.tokenize(String(text)).ids
            #expect(ids.count >= 2 && ids.count <= 12 && ids.first == 2 && ids.last == 3)
            #expect(ids.allSatisfy { $0 >= 0 && Int($0) < Self.vocabulary.count })
        }
    }
}

/// A small seeded generator so that generated inputs repeat from run to run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
