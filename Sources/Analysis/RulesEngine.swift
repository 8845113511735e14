import Foundation
import Events

/// The rules tier: turns a message into an `Analysis` with no I/O. Build once, share freely.
public struct RulesEngine: Sendable {
    public init() {}

    public func analyze(_ text: String, context: AnalysisContext) -> Analysis {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let intent = IntentResult(intent: .unknown, confidence: trimmed.isEmpty ? 1 : 0.2, tier: .rules)
        return Analysis(
            intent: intent, entities: Entities(), leadScore: 10, leadQuality: .cold, sentiment: .neutral,
            language: "en", suggestedActions: [.flagForReview], suggestedResponse: "Thank you for your message."
        )
    }
}
