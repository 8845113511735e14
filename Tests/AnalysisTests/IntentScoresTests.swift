import AnalysisEvaluation
import Events
import Testing

@Suite("Intent scores")
struct IntentScoresTests {
    /// Six messages: four English, two Hinglish; GREETING right twice, ORDER_REQUEST right once
    /// and once taken for PRICING_INQUIRY, PRICING_INQUIRY right once, OPT_OUT taken for
    /// ORDER_CANCELLATION.
    func sample() -> IntentScores {
        var scores = IntentScores()
        let rows: [(Intent, Intent, Double, String)] = [
            (.greeting, .greeting, 0.97, "en"),
            (.greeting, .greeting, 0.92, "hi-Latn"),
            (.orderRequest, .orderRequest, 0.85, "en"),
            (.orderRequest, .pricingInquiry, 0.60, "en"),
            (.pricingInquiry, .pricingInquiry, 0.75, "hi"),
            (.optOut, .orderCancellation, 0.40, "en"),
        ]
        for (expected, got, confidence, language) in rows {
            scores.add(expected: expected, got: IntentResult(intent: got, confidence: confidence, tier: .rules), language: language)
        }
        return scores
    }

    @Test func accuracyAndSlices() {
        let scores = sample()
        #expect(scores.accuracy == 4.0 / 6)
        #expect(scores.slice(hinglish: false).count == 4)
        #expect(scores.slice(hinglish: false).accuracy == 0.5)
        #expect(scores.slice(hinglish: true).count == 2)
        #expect(scores.slice(hinglish: true).accuracy == 1)
    }

    @Test func perLabelPrecisionRecallF1() throws {
        let rows = sample().labels
        #expect(rows.map(\.intent) == [.orderRequest, .pricingInquiry, .orderCancellation, .greeting, .optOut])
        let order = try #require(rows.first { $0.intent == .orderRequest })
        #expect(order.support == 2 && order.predicted == 1 && order.correct == 1)
        #expect(order.precision == 1 && order.recall == 0.5)
        #expect(abs(order.f1 - 2.0 / 3) < 1e-12)
        let pricing = try #require(rows.first { $0.intent == .pricingInquiry })
        #expect(pricing.precision == 0.5 && pricing.recall == 1)
        let optOut = try #require(rows.first { $0.intent == .optOut })
        #expect(optOut.precision == nil && optOut.recall == 0 && optOut.f1 == 0)
        let cancellation = try #require(rows.first { $0.intent == .orderCancellation })
        #expect(cancellation.recall == nil && cancellation.precision == 0)
        // Macro-F1 over the four labels that occur: greeting 1, order 2/3, pricing 2/3, opt-out 0.
        #expect(abs(sample().macroF1 - (1 + 2.0 / 3 + 2.0 / 3) / 4) < 1e-12)
    }

    @Test func calibrationBands() {
        let bands = sample().bands
        #expect(bands.map(\.count) == [1, 1, 1, 1, 1, 1])
        #expect(bands.map(\.correct) == [0, 0, 1, 1, 1, 1])
        #expect(bands.first?.accuracy == 0)
        #expect(bands.last?.upper == 1)
        var empty = IntentScores()
        empty.add(expected: .thanks, got: IntentResult(intent: .thanks, confidence: 1, tier: .rules), language: "en")
        #expect(empty.bands.last?.count == 1)
        #expect(empty.bands.first?.accuracy == nil)
    }

    @Test func handoffCutsAtAThreshold() {
        // Kept from the top: 0.97 ✓, 0.92 ✓, 0.85 ✓, 0.75 ✓ (4/4), 0.60 ✗ (4/5 = 80 %): keep 4.
        let handoff = sample().handoff(target: 0.9)
        #expect(handoff.threshold == 0.75)
        #expect(abs(handoff.share - 2.0 / 6) < 1e-12)
        #expect(sample().handoff(target: 0.6).share == 0)
        // Equal confidences go together: a wrong answer tied with a right one cannot be split off.
        var tied = IntentScores()
        for (got, confidence) in [(Intent.thanks, 0.9), (.thanks, 0.8), (.goodbye, 0.8)] {
            tied.add(expected: .thanks, got: IntentResult(intent: got, confidence: confidence, tier: .rules), language: "en")
        }
        let tiedHandoff = tied.handoff(target: 0.9)
        #expect(tiedHandoff.threshold == 0.9 && abs(tiedHandoff.share - 2.0 / 3) < 1e-12)
        #expect(IntentScores().handoff().share == 1)
    }

    @Test func rendersEveryTable() {
        let text = sample().render(title: "sample")
        for part in ["sample: 6 messages", "accuracy  66.7 %", "English", "Hinglish", "OPT_OUT", "[0.95, 1.00]", "to the LLM for 90 % right on the rest:  33.3 % (below confidence 0.750)"] {
            #expect(text.contains(part), "\(part)\n\(text)")
        }
    }
}
