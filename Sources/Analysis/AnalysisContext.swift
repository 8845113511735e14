import Events
import Foundation

/// What the analysis needs besides the text: when the message was sent and the business's
/// locale. Everything is passed in; the engine reads no clock and no environment.
public struct AnalysisContext: Sendable {
    public var referenceTime: Date
    public var timeZone: TimeZone
    /// ISO 4217 code used when an amount names no currency.
    public var currency: String
    /// ISO 3166 alpha-2 region used for phone numbers without a country code.
    public var country: String
    /// Product names of the business, if known.
    public var catalog: [String]
    /// Earlier messages of the conversation, oldest first.
    public var history: [HistoryMessage]

    public init(
        referenceTime: Date, timeZone: TimeZone, currency: String = "INR", country: String = "IN",
        catalog: [String] = [], history: [HistoryMessage] = []
    ) {
        self.referenceTime = referenceTime
        self.timeZone = timeZone
        self.currency = currency
        self.country = country
        self.catalog = catalog
        self.history = history
    }
}

public struct HistoryMessage: Sendable, Equatable {
    public enum Direction: String, Sendable { case inbound, outbound }
    public var direction: Direction
    public var text: String
    public init(direction: Direction, text: String) {
        self.direction = direction
        self.text = text
    }
}
