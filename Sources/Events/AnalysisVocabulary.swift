import Foundation

/// The fixed intent labels of the product contract.
public enum Intent: String, CaseIterable, Sendable, Hashable {
    case orderRequest = "ORDER_REQUEST"
    case pricingInquiry = "PRICING_INQUIRY"
    case availabilityInquiry = "AVAILABILITY_INQUIRY"
    case productInquiry = "PRODUCT_INQUIRY"
    case discountInquiry = "DISCOUNT_INQUIRY"
    case orderStatus = "ORDER_STATUS"
    case orderCancellation = "ORDER_CANCELLATION"
    case orderModification = "ORDER_MODIFICATION"
    case deliveryInquiry = "DELIVERY_INQUIRY"
    case paymentInquiry = "PAYMENT_INQUIRY"
    case refundRequest = "REFUND_REQUEST"
    case invoiceRequest = "INVOICE_REQUEST"
    case complaint = "COMPLAINT"
    case feedback = "FEEDBACK"
    case scheduleCall = "SCHEDULE_CALL"
    case bookingRequest = "BOOKING_REQUEST"
    case humanAgent = "HUMAN_AGENT"
    case accountSupport = "ACCOUNT_SUPPORT"
    case businessInfo = "BUSINESS_INFO"
    case greeting = "GREETING"
    case thanks = "THANKS"
    case goodbye = "GOODBYE"
    case optOut = "OPT_OUT"
    case unknown = "UNKNOWN"
}

/// The tier whose answer decided the intent.
public enum Tier: String, Sendable, CaseIterable {
    case rules, ml, llm
}

public struct IntentAlternative: Sendable, Equatable {
    public var intent: Intent
    public var confidence: Double
    public init(intent: Intent, confidence: Double) {
        self.intent = intent
        self.confidence = confidence
    }
}

public struct IntentResult: Sendable, Equatable {
    public var intent: Intent
    /// Calibrated probability in 0...1 that `intent` is right.
    public var confidence: Double
    public var tier: Tier
    /// Other plausible intents, most likely first (at most a few).
    public var alternatives: [IntentAlternative]
    public init(intent: Intent, confidence: Double, tier: Tier, alternatives: [IntentAlternative] = []) {
        self.intent = intent
        self.confidence = confidence
        self.tier = tier
        self.alternatives = alternatives
    }
}

public struct Quantity: Sendable, Equatable {
    public var value: Double
    public var unit: String?
    public var product: String?
    public init(value: Double, unit: String? = nil, product: String? = nil) {
        self.value = value
        self.unit = unit
        self.product = product
    }
}

/// How a price bounds what the customer means: an exact amount, or a budget limit.
public enum PriceBound: String, Sendable, CaseIterable {
    case exact, max, min
}

public struct Price: Sendable, Equatable {
    public var amount: Double
    /// ISO 4217 code.
    public var currency: String
    /// The words of the message the amount was read from.
    public var text: String
    public var bound: PriceBound
    public init(amount: Double, currency: String, text: String, bound: PriceBound = .exact) {
        self.amount = amount
        self.currency = currency
        self.text = text
        self.bound = bound
    }
}

public enum DateGrain: String, Sendable, CaseIterable {
    case second, minute, hour, day, week, month, year
}

public struct DateMention: Sendable, Equatable {
    /// RFC 3339 with the business's UTC offset, e.g. `2025-10-26T17:00:00+05:30`.
    public var value: String
    public var grain: DateGrain
    public var text: String
    public init(value: String, grain: DateGrain, text: String) {
        self.value = value
        self.grain = grain
        self.text = text
    }
}

public struct Entities: Sendable, Equatable {
    public var products: [String] = []
    public var quantities: [Quantity] = []
    public var prices: [Price] = []
    public var emails: [String] = []
    /// E.164, e.g. `+919876543210`.
    public var phones: [String] = []
    public var dates: [DateMention] = []
    public var orderIDs: [String] = []
    public var urls: [String] = []
    public init() {}
}

public enum LeadQuality: String, Sendable, CaseIterable {
    case hot, warm, cold

    public init(score: Int) {
        self = score >= 70 ? .hot : (score >= 40 ? .warm : .cold)
    }
}

public enum Sentiment: String, Sendable, CaseIterable {
    case positive, neutral, negative
}

/// The fixed vocabulary of next steps.
public enum SuggestedAction: String, Sendable, CaseIterable {
    case sendCatalog = "send_catalog"
    case sendPriceList = "send_price_list"
    case requestDetails = "request_details"
    case checkInventory = "check_inventory"
    case createOrderDraft = "create_order_draft"
    case notifySales = "notify_sales"
    case scheduleCallback = "schedule_callback"
    case createBooking = "create_booking"
    case createSupportTicket = "create_support_ticket"
    case escalateToHuman = "escalate_to_human"
    case shareTrackingInfo = "share_tracking_info"
    case processCancellation = "process_cancellation"
    case sendPaymentLink = "send_payment_link"
    case initiateRefund = "initiate_refund"
    case sendInvoice = "send_invoice"
    case shareBusinessInfo = "share_business_info"
    case unsubscribeContact = "unsubscribe_contact"
    case flagForReview = "flag_for_review"
}

/// Everything the analysis says about one message: the analysis part of `ai.process.result`.
public struct Analysis: Sendable, Equatable {
    public var intent: IntentResult
    public var entities: Entities
    public var leadScore: Int
    public var leadQuality: LeadQuality
    public var sentiment: Sentiment
    /// `en`, `hi-Latn` (romanized Hindi) or `hi` (Devanagari): see `LanguageCode`.
    public var language: String
    public var suggestedActions: [SuggestedAction]
    public var suggestedResponse: String

    public init(
        intent: IntentResult, entities: Entities, leadScore: Int, leadQuality: LeadQuality,
        sentiment: Sentiment, language: String, suggestedActions: [SuggestedAction], suggestedResponse: String
    ) {
        self.intent = intent
        self.entities = entities
        self.leadScore = leadScore
        self.leadQuality = leadQuality
        self.sentiment = sentiment
        self.language = language
        self.suggestedActions = suggestedActions
        self.suggestedResponse = suggestedResponse
    }
}

/// The language codes an analysis carries (`language`).
public enum LanguageCode {
    public static let english = "en"
    /// Romanized Hindi or code-mixed Hinglish.
    public static let romanizedHindi = "hi-Latn"
    public static let devanagariHindi = "hi"

    /// Whether `code` is Hindi in either script: the slice the English-only encoder knows less.
    public static func isHindi(_ code: String) -> Bool { code == romanizedHindi || code == devanagariHindi }
}
