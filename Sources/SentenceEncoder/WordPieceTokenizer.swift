/// The token ids of one message: `[CLS]`, the word pieces (truncated so that the whole fits
/// `maxLength`), `[SEP]`.
public struct TokenizedText: Sendable, Equatable {
    public var ids: [Int32]
    public init(ids: [Int32]) { self.ids = ids }
}

/// BERT's uncased WordPiece tokenizer over a `vocab.txt` vocabulary (one token a line, the id is
/// the line number): `BertNormalizer`'s words, each split greedily longest-match-first into
/// pieces, pieces after the first prefixed with `##`; a word with no full split, or longer than
/// `maxCharactersPerWord` scalars, is `[UNK]`. Matches Hugging Face `tokenizers` with the
/// model's `tokenizer.json` (checked by the reference fixture).
public struct WordPieceTokenizer: Sendable {
    public let maxLength: Int
    public let maxCharactersPerWord = 100
    public let classifierID: Int32
    public let separatorID: Int32
    public let unknownID: Int32
    public let vocabularySize: Int
    private let vocabulary: [String: Int32]

    /// - Throws: `malformedVocabulary` when a special token is missing, a token repeats, or
    ///   `maxLength` leaves no room for a word piece.
    public init(vocabularyText: String, maxLength: Int) throws {
        var vocabulary: [String: Int32] = [:]
        var lines = vocabularyText.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        if lines.last == "" { lines.removeLast() }
        for (index, line) in lines.enumerated() {
            guard vocabulary.updateValue(Int32(index), forKey: String(line)) == nil else {
                throw SentenceEncoderError(.malformedVocabulary, subject: "vocab.txt", detail: "token on line \(index + 1) repeats an earlier line")
            }
        }
        func special(_ token: String) throws -> Int32 {
            guard let id = vocabulary[token] else { throw SentenceEncoderError(.malformedVocabulary, subject: "vocab.txt", detail: "no \(token) token") }
            return id
        }
        guard maxLength >= 3 else { throw SentenceEncoderError(.malformedConfig, subject: "tokenizer.json", detail: "max length \(maxLength) leaves no room for a token") }
        self.classifierID = try special("[CLS]")
        self.separatorID = try special("[SEP]")
        self.unknownID = try special("[UNK]")
        self.vocabulary = vocabulary
        self.vocabularySize = lines.count
        self.maxLength = maxLength
    }

    public func tokenize(_ text: String) -> TokenizedText {
        var ids: [Int32] = [classifierID]
        let budget = maxLength - 1
        for word in BertNormalizer.words(text) {
            appendPieces(of: word, to: &ids)
            if ids.count >= budget { break }
        }
        if ids.count > budget { ids.removeLast(ids.count - budget) }
        ids.append(separatorID)
        return TokenizedText(ids: ids)
    }

    private func appendPieces(of word: [Unicode.Scalar], to ids: inout [Int32]) {
        guard word.count <= maxCharactersPerWord else { ids.append(unknownID); return }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var match: Int32?
            while end > start {
                var candidate = start > 0 ? "##" : ""
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[candidate] { match = id; break }
                end -= 1
            }
            guard let id = match else { ids.append(unknownID); return }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}
