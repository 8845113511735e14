import Analysis
import Events
import Foundation
import IntentTier
import Pipeline
import SentenceEncoder
import Testing

/// The ml tier inside the tier stack, with the installed encoder and the committed head. A
/// missing model fails (scripts/test.sh installs it).
@Suite struct TieredAnalyzerMLTests {
    static func tier() throws -> MLIntentTier {
        try MLIntentTier.load(modelDirectory: modelDirectory(), headFile: IntentHeadTests.packageRoot.appendingPathComponent("Fixtures/ml/intent-head.json"), threads: 1)
    }

    static let messages = [
        "I want to order 3 packs of the almond cookies, deliver to Koramangala",
        "the box came open and half the sweets were squashed, really not happy",
        "can someone from your team just ring me back, this chat is useless",
        "hmm ok so the thing from last week, is there any way to swap it for the bigger one",
        "thanks a lot!",
        "yaar woh jo parso bheja tha uska kya scene hai",
    ]

    @Test func unsureRulesAreCombinedWithTheHeadAndConfidentRulesStandAlone() async throws {
        let ml = try Self.tier()
        let rules = RulesAnalyzer(engine: RulesEngine(), defaults: AnalysisDefaults(timeZone: TimeZone(identifier: "Asia/Kolkata")!, currency: "INR", country: "IN"))
        let tiers = TieredAnalyzer(rules: rules, cache: nil, llm: nil, ml: ml)
        let context = AnalysisContext(referenceTime: Date(timeIntervalSince1970: 1_761_368_400), timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        var sawBoth = (ml: false, rules: false)
        for text in Self.messages {
            let alone = rules.engine.analyze(text, context: context).intent
            let outcome = await tiers.analyze(text: text, context: context, options: .init(tenant: "t", businessID: "b"))
            if alone.confidence >= ml.head.combination.rulesConfident {
                #expect(outcome.analysis.intent == alone, "\(text)")
                sawBoth.rules = true
            } else {
                #expect(outcome.analysis.intent.tier == .ml, "\(text)")
                #expect(outcome.analysis.intent.confidence > 0 && outcome.analysis.intent.confidence <= 1)
                sawBoth.ml = true
            }
        }
        await ml.shutdown()
        #expect(sawBoth.ml && sawBoth.rules)
    }

    @Test func blankTextNeverReachesTheEncoder() async throws {
        let ml = try Self.tier()
        await ml.shutdown()
        let rules = RulesAnalyzer(engine: RulesEngine(), defaults: AnalysisDefaults(timeZone: TimeZone(identifier: "UTC")!, currency: "INR", country: "IN"))
        let outcome = await TieredAnalyzer(rules: rules, cache: nil, llm: nil, ml: ml).analyze(
            text: "  ", context: AnalysisContext(referenceTime: Date(timeIntervalSince1970: 0), timeZone: TimeZone(identifier: "UTC")!), options: .init(tenant: "t", businessID: "b")
        )
        #expect(outcome.analysis.intent.tier == .rules)
    }

    @Test func anUnreadableHeadIsNamed() throws {
        #expect(throws: IntentTierError.self) {
            try MLIntentTier.load(modelDirectory: TieredAnalyzerMLTests.modelDirectory(), headFile: URL(fileURLWithPath: "/nonexistent/intent-head.json"), threads: 1)
        }
    }

    static func modelDirectory() -> URL {
        let environment = ProcessInfo.processInfo.environment
        return environment["ML_MODEL_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) } ?? SentenceEncoder.defaultModelDirectory(environment: environment)
    }
}
