import Events
import IntentTier
import Testing

@Suite struct IntentCombinerTests {
    static let labels: [Intent] = [.orderRequest, .pricingInquiry, .complaint, .unknown]
    static let settings = IntentCombiner.Settings(rulesConfident: 0.9, headWeight: 0.6, headWeightHinglish: 0.2)
    static let unsure = IntentResult(intent: .pricingInquiry, confidence: 0.5, tier: .rules, alternatives: [IntentAlternative(intent: .orderRequest, confidence: 0.3)])

    @Test func theRulesDistributionKeepsTheirConfidencesAndSpreadsTheRest() {
        let distribution = IntentCombiner.rulesDistribution(Self.unsure, labels: Self.labels)
        #expect(distribution.map { ($0 * 1000).rounded() / 1000 } == [0.3, 0.5, 0.1, 0.1])
        #expect(abs(distribution.reduce(0, +) - 1) < 1e-12)
    }

    @Test func overconfidentAlternativesAreCappedSoTheDistributionStillSumsToOne() {
        let rules = IntentResult(intent: .complaint, confidence: 0.8, tier: .rules, alternatives: [IntentAlternative(intent: .unknown, confidence: 0.7)])
        let distribution = IntentCombiner.rulesDistribution(rules, labels: Self.labels)
        #expect(distribution.allSatisfy { $0 >= 0 })
        #expect(abs(distribution.reduce(0, +) - 1) < 1e-12)
    }

    @Test func confidentRulesNeedNoHead() {
        #expect(!IntentCombiner.needsHead(IntentResult(intent: .complaint, confidence: 0.9, tier: .rules), settings: Self.settings))
        #expect(IntentCombiner.needsHead(Self.unsure, settings: Self.settings))
    }

    @Test func theHeadOutweighsUnsureRulesInEnglishAndTheRulesLeadInHinglish() {
        let head = [0.05, 0.05, 0.85, 0.05]
        let english = IntentCombiner.combine(rules: Self.unsure, head: head, labels: Self.labels, language: "en", settings: Self.settings)
        #expect(english.intent == .complaint && english.tier == .ml)
        #expect(abs(english.confidence - (0.6 * 0.85 + 0.4 * 0.1)) < 1e-12)
        #expect(english.alternatives.first?.intent == .pricingInquiry)
        let hinglish = IntentCombiner.combine(rules: Self.unsure, head: head, labels: Self.labels, language: "hi-Latn", settings: Self.settings)
        #expect(hinglish.intent == .pricingInquiry && hinglish.tier == .ml)
        #expect(abs(hinglish.confidence - (0.2 * 0.05 + 0.8 * 0.5)) < 1e-12)
    }
}
