/// Why an input event could not be processed. `message` is safe for logs and `ai.error`:
/// it names fields and expected forms, never customer text.
public struct EventError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case invalidJSON = "INVALID_JSON"
        case validationFailed = "VALIDATION_FAILED"
        case payloadTooLarge = "PAYLOAD_TOO_LARGE"
        case processingFailed = "PROCESSING_FAILED"
        /// The input was processed but its result could not be published (larger than the
        /// producer's `message.max.bytes`, an unknown or refused topic, retries exhausted).
        case outputRejected = "OUTPUT_REJECTED"
    }

    public var code: Code
    public var message: String
    public var retryable: Bool
    /// Identifiers read before the error was found, for the `ai.error` payload.
    public var known: KnownIdentifiers

    public init(_ code: Code, _ message: String, retryable: Bool = false, known: KnownIdentifiers = KnownIdentifiers()) {
        self.code = code
        self.message = message
        self.retryable = retryable
        self.known = known
    }

    public var description: String { "\(code.rawValue): \(message)" }
}

public struct KnownIdentifiers: Sendable, Equatable {
    public var eventID: String?
    public var leadID: String?
    public var businessID: String?
    public var tenantID: String?
    public init(eventID: String? = nil, leadID: String? = nil, businessID: String? = nil, tenantID: String? = nil) {
        self.eventID = eventID
        self.leadID = leadID
        self.businessID = businessID
        self.tenantID = tenantID
    }
}
