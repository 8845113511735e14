import Events

/// Positions of intents in `IntentClassifier.intents` without hashing: `Intent` hashes its raw
/// string, and the decision looks intents up dozens of times per message.
enum IntentPositions {
    /// A stable code per case (a switch compares cases, not strings).
    private static func code(_ i: Intent) -> Int {
        switch i {
        case .orderRequest: 0
        case .pricingInquiry: 1
        case .availabilityInquiry: 2
        case .productInquiry: 3
        case .discountInquiry: 4
        case .orderStatus: 5
        case .orderCancellation: 6
        case .orderModification: 7
        case .deliveryInquiry: 8
        case .paymentInquiry: 9
        case .refundRequest: 10
        case .invoiceRequest: 11
        case .complaint: 12
        case .feedback: 13
        case .scheduleCall: 14
        case .bookingRequest: 15
        case .humanAgent: 16
        case .accountSupport: 17
        case .businessInfo: 18
        case .greeting: 19
        case .thanks: 20
        case .goodbye: 21
        case .optOut: 22
        case .unknown: 23
        }
    }

    private static let byCode: [Int] = {
        var table = [Int](repeating: 0, count: IntentClassifier.intents.count)
        for (k, intent) in IntentClassifier.intents.enumerated() { table[code(intent)] = k }
        return table
    }()

    @inline(__always) static func of(_ i: Intent) -> Int { byCode[code(i)] }

    /// Per position: greeting, thanks or goodbye.
    static let social: [Bool] = IntentClassifier.intents.map { IntentDecision.social.contains($0) }
    /// Per position: the tie-break priority.
    static let priority: [Double] = IntentClassifier.intents.map { IntentDecision.priority[$0] ?? 0 }
}
