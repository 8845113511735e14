import Analysis
import Events
import Foundation
import SentenceEncoder

/// The ml tier: the sentence encoder on its own threads plus the intent head. `refine` leaves a
/// confident rules answer alone and otherwise combines it with the head (`IntentCombiner`).
public final class MLIntentTier: Sendable {
    public let executor: EncoderExecutor
    public let head: IntentHead

    public init(executor: EncoderExecutor, head: IntentHead) {
        self.executor = executor
        self.head = head
    }

    /// Loads the encoder from `modelDirectory` and the head from `headFile`, and starts
    /// `threads` encoder threads.
    /// - Throws: `SentenceEncoderError` or `IntentTierError` naming what could not be read.
    public static func load(modelDirectory: URL, headFile: URL, threads: Int = 2, maxBatch: Int = 32) throws -> MLIntentTier {
        let encoder = try SentenceEncoder(modelDirectory: modelDirectory)
        let json: Data
        do {
            json = try Data(contentsOf: headFile)
        } catch {
            throw IntentTierError.unreadableHead("\(headFile.path): \(error)")
        }
        let head = try IntentHead.parse(json, expectedDimension: encoder.dimension)
        return MLIntentTier(executor: EncoderExecutor(encoder: encoder, threads: threads, maxBatch: maxBatch), head: head)
    }

    public func needsHead(_ rules: IntentResult) -> Bool {
        IntentCombiner.needsHead(rules, settings: head.combination)
    }

    /// The combined intent, or `rules` unchanged when they are confident or the encoder is shut down.
    public func refine(_ rules: IntentResult, text: String, language: String) async -> IntentResult {
        guard needsHead(rules), let embedding = try? await executor.embed([text]).first else { return rules }
        return IntentCombiner.combine(rules: rules, head: head.probabilities(embedding), labels: head.labels, language: language, settings: head.combination)
    }

    public func shutdown() async {
        await executor.shutdown()
    }
}
