import Events
import Foundation

/// Intent figures over labelled messages (pure): accuracy overall and per language slice,
/// per-label support, precision, recall and F1, calibration by confidence band, and the share
/// of messages that must go to the LLM for the rest to be right often enough.
public struct IntentScores: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var expected: Intent
        public var got: Intent
        public var confidence: Double
        public var hinglish: Bool
        public var correct: Bool { expected == got }
    }

    public struct LabelRow: Sendable, Equatable {
        public var intent: Intent
        public var support: Int
        public var predicted: Int
        public var correct: Int
        /// nil when the label was never predicted.
        public var precision: Double? { predicted == 0 ? nil : Double(correct) / Double(predicted) }
        /// nil when the label never occurs.
        public var recall: Double? { support == 0 ? nil : Double(correct) / Double(support) }
        public var f1: Double {
            guard let p = precision, let r = recall, p + r > 0 else { return 0 }
            return 2 * p * r / (p + r)
        }
    }

    public struct Band: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var count = 0
        public var correct = 0
        public var accuracy: Double? { count == 0 ? nil : Double(correct) / Double(count) }
    }

    /// The LLM's share: messages below `threshold` go to it, the rest are `target` right.
    public struct Handoff: Sendable, Equatable {
        public var share: Double
        /// The lowest confidence kept (answered without the LLM); nil when all go to it.
        public var threshold: Double?
    }

    /// Band edges: [0, 0.5), [0.5, 0.7), …, [0.95, 1].
    public static let bandEdges = [0, 0.5, 0.7, 0.8, 0.9, 0.95]

    public private(set) var outcomes: [Outcome] = []

    public init() {}

    /// `language` is the rules' reading: `hi-Latn` or `hi` make the message Hinglish.
    public mutating func add(expected: Intent, got: IntentResult, language: String) {
        outcomes.append(Outcome(expected: expected, got: got.intent, confidence: got.confidence, hinglish: LanguageCode.isHindi(language)))
    }

    public var accuracy: Double { Self.accuracy(outcomes) }

    /// Messages and accuracy of one language slice.
    public func slice(hinglish: Bool) -> (count: Int, accuracy: Double) {
        let part = outcomes.filter { $0.hinglish == hinglish }
        return (part.count, Self.accuracy(part))
    }

    /// One row per label that occurs or is predicted, in `Intent.allCases` order.
    public var labels: [LabelRow] {
        Intent.allCases.compactMap { intent in
            let row = LabelRow(
                intent: intent, support: outcomes.count { $0.expected == intent }, predicted: outcomes.count { $0.got == intent },
                correct: outcomes.count { $0.expected == intent && $0.correct }
            )
            return row.support == 0 && row.predicted == 0 ? nil : row
        }
    }

    /// The mean F1 over labels that occur.
    public var macroF1: Double {
        let rows = labels.filter { $0.support > 0 }
        return rows.isEmpty ? 0 : rows.reduce(0) { $0 + $1.f1 } / Double(rows.count)
    }

    public var bands: [Band] {
        var bands = Self.bandEdges.indices.map { k in
            Band(lower: Self.bandEdges[k], upper: k + 1 < Self.bandEdges.count ? Self.bandEdges[k + 1] : 1)
        }
        for outcome in outcomes {
            let k = bands.lastIndex { outcome.confidence >= $0.lower } ?? 0
            bands[k].count += 1
            if outcome.correct { bands[k].correct += 1 }
        }
        return bands
    }

    /// The least share of messages to send to the LLM, lowest confidence first, so that the rest
    /// are at least `target` right. The cut is a confidence threshold (what the LLM tier
    /// applies), so messages of equal confidence go together.
    public func handoff(target: Double = 0.9) -> Handoff {
        let sorted = outcomes.sorted { $0.confidence > $1.confidence }
        var best = Handoff(share: 1, threshold: nil)
        var correct = 0
        for (k, outcome) in sorted.enumerated() {
            if outcome.correct { correct += 1 }
            let kept = k + 1
            let cutHere = kept == sorted.count || sorted[kept].confidence < outcome.confidence
            if cutHere, Double(correct) >= target * Double(kept) {
                best = Handoff(share: 1 - Double(kept) / Double(sorted.count), threshold: outcome.confidence)
            }
        }
        return best
    }

    public func render(title: String) -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%5.1f %%", $0 * 100) } ?? "     - " }
        let right = outcomes.count { $0.correct }
        var out = "\(title): \(outcomes.count) messages\n"
        out += "accuracy \(pct(accuracy))  (\(right)/\(outcomes.count))   macro-F1 \(String(format: "%.3f", macroF1))\n"
        for (name, hinglish) in [("English", false), ("Hinglish", true)] {
            let s = slice(hinglish: hinglish)
            out += "  " + name.padding(toLength: 10, withPad: " ", startingAt: 0) + String(format: "%5d  ", s.count) + pct(s.count == 0 ? nil : s.accuracy) + "\n"
        }
        out += "label                   support  predicted  precision   recall      F1\n"
        for row in labels {
            out += row.intent.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "  %7d  %9d    ", row.support, row.predicted)
                + pct(row.precision) + "  " + pct(row.recall) + String(format: "   %.3f\n", row.f1)
        }
        out += "confidence      count  accuracy\n"
        for band in bands {
            out += String(format: "[%.2f, %.2f%@ %6d   ", band.lower, band.upper, band.upper == 1 ? "]" : ")", band.count) + pct(band.accuracy) + "\n"
        }
        let handoff = handoff()
        out += "to the LLM for 90 % right on the rest: \(pct(handoff.share))"
        out += handoff.threshold.map { String(format: " (below confidence %.3f)\n", $0) } ?? " (all)\n"
        return out
    }

    private static func accuracy(_ outcomes: [Outcome]) -> Double {
        outcomes.isEmpty ? 0 : Double(outcomes.count { $0.correct }) / Double(outcomes.count)
    }
}
