import Foundation

/// all-MiniLM-L6-v2 (or another BERT sentence encoder with the same layout) loaded from a model
/// folder as `scripts/install-model.sh` lays it out: `config.json`, `tokenizer.json` (for the
/// truncation length), `vocab.txt`, `model.safetensors`. Immutable and shareable; `embed` is
/// blocking CPU work for a thread the caller owns (see `EncoderExecutor`).
public final class SentenceEncoder: Sendable {
    /// The folder `scripts/install-model.sh` fills when `ML_MODEL_DIR` is not set.
    public static func defaultModelDirectory(environment: [String: String]) -> URL {
        let cache = environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".cache")
        return cache.appendingPathComponent("ai-worker/models/all-MiniLM-L6-v2")
    }

    /// Used when `tokenizer.json` names no truncation length.
    public static let defaultMaxLength = 128

    public let tokenizer: WordPieceTokenizer
    public let configuration: BertConfiguration
    public var dimension: Int { configuration.hiddenSize }
    private let forward: BertForward

    /// - Throws: `SentenceEncoderError` naming the first file that is missing or malformed.
    public convenience init(modelDirectory: URL) throws {
        func read(_ name: String) throws -> Data {
            do {
                return try Data(contentsOf: modelDirectory.appendingPathComponent(name))
            } catch {
                throw SentenceEncoderError(.fileUnreadable, subject: name, detail: "\(modelDirectory.path): \(error)")
            }
        }
        let configuration = try BertConfiguration.parse(try read("config.json"))
        let maxLength = try Self.truncationLength(tokenizerJSON: try read("tokenizer.json"))
        guard let vocabulary = String(data: try read("vocab.txt"), encoding: .utf8) else {
            throw SentenceEncoderError(.malformedVocabulary, subject: "vocab.txt", detail: "not UTF-8")
        }
        let tokenizer = try WordPieceTokenizer(vocabularyText: vocabulary, maxLength: maxLength)
        let file = try SafeTensors(contentsOf: modelDirectory.appendingPathComponent("model.safetensors"))
        try self.init(tokenizer: tokenizer, weights: try BertWeights(file: file, configuration: configuration))
    }

    init(tokenizer: WordPieceTokenizer, weights: BertWeights) throws {
        let configuration = weights.configuration
        guard tokenizer.vocabularySize <= configuration.vocabularySize else {
            throw SentenceEncoderError(.malformedVocabulary, subject: "vocab.txt", detail: "\(tokenizer.vocabularySize) tokens for \(configuration.vocabularySize) embeddings")
        }
        guard tokenizer.maxLength <= configuration.maxPositions else {
            throw SentenceEncoderError(.malformedConfig, subject: "tokenizer.json", detail: "max length \(tokenizer.maxLength) over \(configuration.maxPositions) positions")
        }
        self.tokenizer = tokenizer
        self.configuration = configuration
        self.forward = BertForward(weights: weights)
    }

    static func truncationLength(tokenizerJSON: Data) throws -> Int {
        struct Settings: Decodable {
            struct Truncation: Decodable { var max_length: Int }
            var truncation: Truncation?
        }
        do {
            return try JSONDecoder().decode(Settings.self, from: tokenizerJSON).truncation?.max_length ?? defaultMaxLength
        } catch {
            throw SentenceEncoderError(.malformedConfig, subject: "tokenizer.json", detail: "\(error)")
        }
    }

    /// Unit-length embeddings of `texts`, one forward pass per `maxBatch` texts. Blocking.
    public func embed(_ texts: [String], maxBatch: Int = 32) -> [[Float]] {
        embed(tokenized: texts.map { tokenizer.tokenize($0).ids }, workspace: EncoderWorkspace(), maxBatch: maxBatch)
    }

    func embed(tokenized: [[Int32]], workspace: EncoderWorkspace, maxBatch: Int) -> [[Float]] {
        var embeddings: [[Float]] = []
        embeddings.reserveCapacity(tokenized.count)
        var start = 0
        while start < tokenized.count {
            let end = min(start + max(maxBatch, 1), tokenized.count)
            embeddings += forward.embed(Array(tokenized[start..<end]), workspace: workspace)
            start = end
        }
        return embeddings
    }
}
