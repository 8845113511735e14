import Events

/// Lead score 0–100 from intent, buying signals and sentiment.
enum LeadScoring {
    static let base: [Intent: Int] = [
        .orderRequest: 62, .bookingRequest: 58, .pricingInquiry: 48, .availabilityInquiry: 48, .discountInquiry: 46,
        .productInquiry: 44, .scheduleCall: 52, .paymentInquiry: 50, .deliveryInquiry: 40, .businessInfo: 32, .humanAgent: 28,
        .orderModification: 35, .orderStatus: 22, .invoiceRequest: 22, .accountSupport: 15, .feedback: 22, .complaint: 10,
        .refundRequest: 6, .orderCancellation: 4, .greeting: 15, .thanks: 12, .goodbye: 5, .optOut: 0, .unknown: 8,
    ]
    static let buying: Set<Intent> = [
        .orderRequest, .bookingRequest, .pricingInquiry, .availabilityInquiry, .discountInquiry, .productInquiry, .scheduleCall,
        .paymentInquiry, .deliveryInquiry,
    ]
    static let cold: Set<Intent> = [.greeting, .thanks, .goodbye, .unknown, .optOut]

    static func score(intent: Intent, entities: Entities, sentiment: Sentiment, signals: IntentClassifier.Signals) -> Int {
        var score = base[intent] ?? 10
        if buying.contains(intent) {
            if !entities.quantities.isEmpty { score += 10 }
            if !entities.products.isEmpty { score += 7 }
            if !entities.prices.isEmpty { score += 7 }
            if !entities.dates.isEmpty { score += 7 }
            if !entities.phones.isEmpty || !entities.emails.isEmpty { score += 7 }
            if signals.urgent { score += 6 }
            if sentiment == .positive { score += 3 }
            if sentiment == .negative { score -= 8 }
            if signals.hedged { score -= 14 }
            if signals.negatedPurchase { score -= 30 }
            let concrete = !entities.quantities.isEmpty || !entities.products.isEmpty || !entities.dates.isEmpty
            if (intent == .orderRequest || intent == .bookingRequest), concrete, !signals.hedged, !signals.negatedPurchase {
                score = max(score, 72)
            }
        } else if intent == .orderModification, !entities.quantities.isEmpty {
            score += 8
        }
        if cold.contains(intent) { score = min(score, 30) }
        return max(0, min(100, score))
    }
}
