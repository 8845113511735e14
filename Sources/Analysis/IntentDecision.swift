import Foundation
import Events

/// Turns cue scores and entity evidence into the chosen intent, a calibrated confidence and
/// the top alternatives.
enum IntentDecision {
    static let social: Set<Intent> = [.greeting, .thanks, .goodbye]
    /// When two intents score alike, the one that drives a next action wins.
    static let priority: [Intent: Double] = [
        .orderCancellation: 0.30, .refundRequest: 0.28, .orderModification: 0.26, .humanAgent: 0.24, .optOut: 0.22,
        .orderStatus: 0.2, .invoiceRequest: 0.19, .paymentInquiry: 0.18, .complaint: 0.17, .scheduleCall: 0.16, .bookingRequest: 0.15,
        .orderRequest: 0.14, .discountInquiry: 0.13, .pricingInquiry: 0.12, .availabilityInquiry: 0.11, .deliveryInquiry: 0.1,
        .accountSupport: 0.1, .businessInfo: 0.09, .productInquiry: 0.08, .feedback: 0.07, .greeting: 0, .thanks: 0.01, .goodbye: 0.02,
    ]

    struct Evidence {
        var hasOrderID: Bool
        var hasQuantityWithProduct: Bool
        var hasQuantity: Bool
        var hasProduct: Bool
        var hasBudget: Bool
        var hasDate: Bool
        var hasContact: Bool
        var questionMark: Bool
        var wordCount: Int
        var correctedTypos: Int
        /// Lexicon sentiment before any intent prior (negative below 0).
        var sentiment: Double
        var hasCountedProduct: Bool
    }

    static func decide(_ raw: IntentClassifier.Result, evidence e: Evidence) -> IntentResult {
        var s = raw.scores
        func idx(_ i: Intent) -> Int { IntentPositions.of(i) }
        func add(_ i: Intent, _ w: Double) { s[idx(i)] += w }
        if e.hasOrderID {
            add(.orderStatus, 1.4)
        }
        if e.hasQuantityWithProduct {
            add(.orderRequest, 1.3)
        } else if e.hasQuantity {
            add(.orderRequest, 0.5)
        }
        if e.hasBudget { add(.productInquiry, 0.6); add(.pricingInquiry, 0.3) }
        if e.hasDate {
            add(.bookingRequest, s[idx(.bookingRequest)] > 0 ? 0.6 : 0)
            add(.scheduleCall, s[idx(.scheduleCall)] > 0 ? 0.6 : 0)
        }
        if e.hasContact, s[idx(.scheduleCall)] > 0 { add(.scheduleCall, 0.5) }
        let sig = raw.signals
        if sig.negatedPurchase {
            // "I don't want to order": a purchase was declined; keep what else was asked.
            s[idx(.orderRequest)] = min(s[idx(.orderRequest)], 0.5)
        }
        func top() -> (Intent, Double) {
            var best = (Intent.unknown, 0.0)
            for (k, intent) in IntentClassifier.intents.enumerated() where s[k] > best.1 { best = (intent, s[k]) }
            return best
        }
        // A change to an order already placed is a modification, whatever words describe the change.
        if sig.changesOrder {
            let (t, score) = top()
            let blocked = t == .orderCancellation || t == .refundRequest || (t == .orderStatus && score >= 2.5)
            if !blocked || s[idx(.orderModification)] > 0 { add(.orderModification, 2.2) }
        }
        // Questions about delivery of an order already placed are status questions.
        if sig.ownOrder || e.hasOrderID {
            if s[idx(.deliveryInquiry)] > 0 { add(.orderStatus, min(2.4, s[idx(.deliveryInquiry)])) }
        }
        // "book a 1 kg cake": booking words around a counted product are an order.
        if e.hasCountedProduct, s[idx(.bookingRequest)] > 0, s[idx(.orderRequest)] > 0 || top().0 == .bookingRequest {
            add(.orderRequest, 1.6)
        }
        let unknownAt = idx(.unknown)
        var content = 0.0
        for k in s.indices where !IntentPositions.social[k] && k != unknownAt { content = max(content, s[k]) }
        // Sentiment without a request: complaints and feedback.
        if e.sentiment <= -1.5, !sig.isRequest || content < 2.5 { add(.complaint, min(2.5, -e.sentiment * 0.8)) }
        if e.sentiment >= 1.5, !sig.isRequest, content < 3.5, e.wordCount >= 3, s[idx(.greeting)] < 2 { add(.feedback, min(2.5, e.sentiment * 0.8)) }
        // A product question with no clearer cue.
        if content < 1.5, e.questionMark, e.wordCount >= 4, sig.pointsAtProduct || e.hasProduct { add(.productInquiry, 1.4) }
        // Asking how to pay for something one has decided to buy is still the order.
        if s[idx(.orderRequest)] >= 3, top().0 == .paymentInquiry { add(.orderRequest, 1.6) }
        // Thanks or goodbye in a statement that asks nothing.
        if !sig.isRequest, !sig.contrast {
            for i in [Intent.thanks, .goodbye] where s[idx(i)] >= 2.5 { add(i, 1.5) }
        }
        // Social openers and closers yield to any substantive request.
        var substantive = 0.0
        for k in s.indices where !IntentPositions.social[k] && k != unknownAt { substantive = max(substantive, s[k]) }
        if substantive >= 1.5 {
            for i in social where !( !sig.isRequest && (i == .thanks || i == .goodbye) && s[idx(i)] >= substantive) { s[idx(i)] *= 0.3 }
        } else if e.wordCount <= 4 {
            for i in social where s[idx(i)] > 0 { add(i, 0.8) }
        }
        // Tie-break by action priority.
        for k in s.indices where s[k] > 0 { s[k] += IntentPositions.priority[k] }
        // Distribution: softmax over scored intents plus an "unknown" baseline.
        let unknownBase = 1.25 + (e.wordCount > 25 ? 0.4 : 0)
        s[idx(.unknown)] = max(s[idx(.unknown)], unknownBase)
        let temperature = 1.05
        var maxScore = 0.0
        for v in s { maxScore = max(maxScore, v) }
        var probs = [Double](repeating: 0, count: s.count)
        var total = 0.0
        for k in 0..<s.count where s[k] > 0 {
            probs[k] = exp((s[k] - maxScore) / temperature)
            total += probs[k]
        }
        for k in 0..<s.count { probs[k] /= total }
        var order = Array(0..<s.count).filter { probs[$0] > 0 }
        order.sort { probs[$0] > probs[$1] }
        let top = order[0]
        var conf = probs[top]
        let topIntent = IntentClassifier.intents[top]
        // Calibration adjustments: weak evidence, long or typo-heavy messages are less certain.
        if topIntent == .unknown {
            conf = e.wordCount == 0 ? 0.99 : min(conf, 0.75) * (e.wordCount > 3 ? 0.9 : 1)
        } else {
            if raw.signals.hedged { conf *= 0.95 }
            if e.correctedTypos > 0 { conf *= 0.96 }
            if e.wordCount > 30 { conf *= 0.92 }
            let strength = s[top] - IntentPositions.priority[top]
            if strength < 2.5 { conf = min(conf, 0.55 + 0.12 * strength) }
            conf = min(conf, 0.97)
        }
        var alternatives: [IntentAlternative] = []
        for k in order.dropFirst().prefix(3) where probs[k] >= 0.03 {
            alternatives.append(IntentAlternative(intent: IntentClassifier.intents[k], confidence: (probs[k] * 1000).rounded() / 1000))
        }
        return IntentResult(intent: topIntent, confidence: (conf * 1000).rounded() / 1000, tier: .rules, alternatives: alternatives)
    }
}
