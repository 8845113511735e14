import Events

/// How the ml tier combines with the rules (pure; no I/O).
///
/// The rules answer alone when their confidence is at least `rulesConfident` (they are well
/// calibrated there). Below it, the rules' answer becomes a distribution (their intent and
/// alternatives with their confidences, the remaining mass spread evenly over the other labels)
/// and is averaged with the head's: `w·head + (1 − w)·rules`, with `w = headWeight`, or
/// `headWeightHinglish` for romanized Hindi (`hi-Latn`) and Devanagari (`hi`) messages, where
/// the English-only encoder knows less and the combination leans on the rules. The combined
/// top label and probability are the result (tier `ml`); the LLM threshold applies to it.
public enum IntentCombiner {
    public struct Settings: Sendable, Equatable {
        public var rulesConfident: Double
        public var headWeight: Double
        public var headWeightHinglish: Double
        public init(rulesConfident: Double, headWeight: Double, headWeightHinglish: Double) {
            self.rulesConfident = rulesConfident
            self.headWeight = headWeight
            self.headWeightHinglish = headWeightHinglish
        }

        public func weight(language: String) -> Double {
            LanguageCode.isHindi(language) ? headWeightHinglish : headWeight
        }
    }

    public static func needsHead(_ rules: IntentResult, settings: Settings) -> Bool {
        rules.confidence < settings.rulesConfident
    }

    /// The rules' answer spread over `labels`.
    public static func rulesDistribution(_ rules: IntentResult, labels: [Intent]) -> [Double] {
        var distribution = [Double](repeating: -1, count: labels.count)
        var assigned = 0.0
        for (intent, confidence) in [(rules.intent, rules.confidence)] + rules.alternatives.map({ ($0.intent, $0.confidence) }) {
            guard let index = labels.firstIndex(of: intent), distribution[index] < 0 else { continue }
            let share = min(max(confidence, 0), 1 - assigned)
            distribution[index] = share
            assigned += share
        }
        let open = distribution.filter { $0 < 0 }.count
        let rest = open == 0 ? 0 : (1 - assigned) / Double(open)
        return distribution.map { $0 < 0 ? rest : $0 }
    }

    public static func combine(rules: IntentResult, head: [Double], labels: [Intent], language: String, settings: Settings) -> IntentResult {
        let weight = settings.weight(language: language)
        let prior = rulesDistribution(rules, labels: labels)
        let combined = zip(head, prior).map { weight * $0 + (1 - weight) * $1 }
        let ranked = combined.indices.sorted { combined[$0] != combined[$1] ? combined[$0] > combined[$1] : $0 < $1 }
        let alternatives = ranked.dropFirst().prefix(3).filter { combined[$0] >= 0.01 }.map { IntentAlternative(intent: labels[$0], confidence: combined[$0]) }
        return IntentResult(intent: labels[ranked[0]], confidence: combined[ranked[0]], tier: .ml, alternatives: alternatives)
    }
}
