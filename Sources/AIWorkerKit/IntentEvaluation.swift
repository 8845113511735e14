import Analysis
import AnalysisEvaluation
import Events
import Foundation
import IntentTier

/// `ai-worker evaluate --split dev`: intent scores on labelled messages (the dev split,
/// `{"text", "intent"}` lines), by the rules alone and, with the ml tier loaded, by rules + ml
/// decided as the daemon decides (`MLIntentTier.refine`).
public enum IntentEvaluation {
    /// The rules' scores, and rules + ml's when `ml` is given.
    public static func score(_ examples: [LabelledExample], engine: RulesEngine = RulesEngine(), ml: MLIntentTier?) async -> (rules: IntentScores, combined: IntentScores?) {
        let analyses = examples.map { engine.analyze($0.text, context: $0.context) }
        var rules = IntentScores()
        for (example, analysis) in zip(examples, analyses) { rules.add(expected: example.intent, got: analysis.intent, language: analysis.language) }
        guard let ml else { return (rules, nil) }
        let refined = await refine(examples, analyses, ml: ml)
        var combined = IntentScores()
        for (k, example) in examples.enumerated() { combined.add(expected: example.intent, got: refined[k], language: analyses[k].language) }
        return (rules, combined)
    }

    /// Every message through the tier, `inFlight` at a time so the encoder threads get batches.
    private static func refine(_ examples: [LabelledExample], _ analyses: [Analysis], ml: MLIntentTier, inFlight: Int = 64) async -> [IntentResult] {
        var results = analyses.map(\.intent)
        await withTaskGroup(of: (Int, IntentResult).self) { group in
            var next = 0
            func submit() {
                let k = next
                next += 1
                let rules = analyses[k].intent, text = examples[k].text, language = analyses[k].language
                group.addTask { (k, await ml.refine(rules, text: text, language: language)) }
            }
            while next < min(inFlight, examples.count) { submit() }
            for await (k, result) in group {
                results[k] = result
                if next < examples.count { submit() }
            }
        }
        return results
    }
}
