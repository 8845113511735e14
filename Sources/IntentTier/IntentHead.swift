import Events
import Foundation

/// A softmax regression over sentence embeddings: `p = softmax(W·x + b)` over `labels`, with
/// the combination settings tuned next to it (see `IntentCombiner`). Stored as JSON
/// (`Fixtures/ml/intent-head.json`), written by `intent-head-train`.
public struct IntentHead: Sendable, Equatable {
    public var labels: [Intent]
    /// `[labels.count][dimension]`.
    public var weights: [[Double]]
    public var bias: [Double]
    public var combination: IntentCombiner.Settings

    public var dimension: Int { weights.first?.count ?? 0 }

    public init(labels: [Intent], weights: [[Double]], bias: [Double], combination: IntentCombiner.Settings) {
        self.labels = labels
        self.weights = weights
        self.bias = bias
        self.combination = combination
    }

    /// Probabilities over `labels` for one embedding of `dimension` values.
    public func probabilities(_ embedding: [Float]) -> [Double] {
        var logits = bias
        for (label, row) in weights.enumerated() {
            var sum = 0.0
            for (weight, value) in zip(row, embedding) { sum += weight * Double(value) }
            logits[label] += sum
        }
        return Self.softmax(logits)
    }

    static func softmax(_ logits: [Double]) -> [Double] {
        let largest = logits.max() ?? 0
        let exponentials = logits.map { Foundation.exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }
}

extension IntentHead {
    struct Stored: Codable {
        struct Combination: Codable {
            var rules_confident: Double
            var head_weight: Double
            var head_weight_hinglish: Double
        }
        var format: String
        var labels: [String]
        var dimension: Int
        var combination: Combination
        var bias: [Double]
        var weights: [[Double]]
        var training: [String: String]
    }

    static let format = "ai-worker intent head v1"

    /// - Throws: `IntentTierError` `malformedHead` when the JSON is not a head of known labels
    ///   and consistent sizes.
    public static func parse(_ json: Data, expectedDimension: Int) throws -> IntentHead {
        let stored: Stored
        do {
            stored = try JSONDecoder().decode(Stored.self, from: json)
        } catch {
            throw IntentTierError.malformedHead("\(error)")
        }
        guard stored.format == format else { throw IntentTierError.malformedHead("format \(stored.format)") }
        let labels = try stored.labels.map { name in
            guard let intent = Intent(rawValue: name) else { throw IntentTierError.malformedHead("unknown label \(name)") }
            return intent
        }
        guard !labels.isEmpty, Set(labels).count == labels.count, stored.bias.count == labels.count, stored.weights.count == labels.count,
            stored.dimension == expectedDimension, stored.weights.allSatisfy({ $0.count == expectedDimension })
        else { throw IntentTierError.malformedHead("sizes do not match \(labels.count) labels × \(expectedDimension)") }
        let combination = IntentCombiner.Settings(
            rulesConfident: stored.combination.rules_confident, headWeight: stored.combination.head_weight,
            headWeightHinglish: stored.combination.head_weight_hinglish
        )
        return IntentHead(labels: labels, weights: stored.weights, bias: stored.bias, combination: combination)
    }

    /// JSON with sorted keys and values rounded to 6 significant digits, so that retraining on
    /// the same data gives the same bytes.
    public func serialized(training: [String: String]) throws -> Data {
        func rounded(_ value: Double) -> Double { Double(String(format: "%.6g", value)) ?? value }
        let stored = Stored(
            format: Self.format, labels: labels.map(\.rawValue), dimension: dimension,
            combination: .init(rules_confident: combination.rulesConfident, head_weight: combination.headWeight, head_weight_hinglish: combination.headWeightHinglish),
            bias: bias.map(rounded), weights: weights.map { $0.map(rounded) }, training: training
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(stored) + Data("\n".utf8)
    }
}

/// Errors of the ml intent tier's own files (the encoder's are `SentenceEncoderError`).
public struct IntentTierError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let code: String
    public let detail: String
    public static func malformedHead(_ detail: String) -> IntentTierError { IntentTierError(code: "malformed_head", detail: detail) }
    public static func unreadableHead(_ detail: String) -> IntentTierError { IntentTierError(code: "unreadable_head", detail: detail) }
    public var description: String { "intent head: \(code)" }
    public var debugDescription: String { "intent head: \(code): \(detail)" }
}
