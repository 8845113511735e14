import Events

/// Next steps from the fixed vocabulary.
enum ActionPlanner {
    static func plan(intent: IntentResult, entities e: Entities, quality: LeadQuality, sentiment: Sentiment) -> [SuggestedAction] {
        var a: [SuggestedAction] = []
        let hasItem = !e.products.isEmpty || !e.quantities.isEmpty
        switch intent.intent {
        case .orderRequest:
            if hasItem { a += [.checkInventory, .createOrderDraft] } else { a += [.requestDetails] }
        case .pricingInquiry: a += [.sendPriceList]
        case .availabilityInquiry: a += [.checkInventory]
        case .productInquiry: a += [.sendCatalog]
        case .discountInquiry: a += [.sendPriceList]
        case .orderStatus: a += e.orderIDs.isEmpty ? [.requestDetails, .shareTrackingInfo] : [.shareTrackingInfo]
        case .orderCancellation: a += e.orderIDs.isEmpty ? [.requestDetails, .processCancellation] : [.processCancellation]
        case .orderModification: a += [.createSupportTicket]
        case .deliveryInquiry: a += e.orderIDs.isEmpty ? [.shareBusinessInfo] : [.shareTrackingInfo]
        case .paymentInquiry: a += [.sendPaymentLink]
        case .refundRequest: a += [.initiateRefund, .createSupportTicket]
        case .invoiceRequest: a += [.sendInvoice]
        case .complaint:
            a += [.createSupportTicket]
            if sentiment == .negative { a += [.escalateToHuman] }
        case .feedback: a += [.flagForReview]
        case .scheduleCall: a += [.scheduleCallback]
        case .bookingRequest: a += e.dates.isEmpty ? [.requestDetails, .createBooking] : [.createBooking]
        case .humanAgent: a += [.escalateToHuman]
        case .accountSupport: a += [.createSupportTicket]
        case .businessInfo: a += [.shareBusinessInfo]
        case .greeting: a += [.requestDetails]
        case .thanks, .goodbye: break
        case .optOut: a += [.unsubscribeContact]
        case .unknown: a += [.flagForReview]
        }
        if quality == .hot, !a.contains(.notifySales) { a.append(.notifySales) }
        if intent.confidence < 0.5, intent.intent != .unknown, !a.contains(.flagForReview) { a.append(.flagForReview) }
        return a
    }
}
