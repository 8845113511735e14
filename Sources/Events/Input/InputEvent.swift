/// The three topics ai-worker reads, by their role (topic names are configurable).
public enum InputKind: String, Sendable, CaseIterable {
    case leadCreated = "lead.created"
    case leadMessage = "lead.message"
    case processRequest = "ai.process.request"
}

public enum AnalysisTask: String, Sendable, CaseIterable {
    case intent, entities, response
}

public enum MessageDirection: String, Sendable {
    case inbound, outbound
}

/// Per-event locale hints from `metadata`; invalid values are dropped (defaults apply).
public struct EventMetadata: Sendable, Equatable {
    public var timezone: String?
    public var currency: String?
    public var country: String?
    public var catalog: [String] = []
    public init() {}
}

public struct ConversationTurn: Sendable, Equatable {
    public var direction: MessageDirection
    public var text: String
}

/// A validated input event.
public struct InputEvent: Sendable {
    public var kind: InputKind
    /// The topic the event was read from; becomes `source_event_type`.
    public var topic: String
    public var eventID: String
    public var eventType: String
    public var timestamp: Timestamp
    public var leadID: String
    public var businessID: String
    public var tenantID: String?
    /// The customer's text: `initial_message`, `message_text` or `text`; nil when absent.
    public var text: String?
    public var messageID: String?
    public var requestID: String?
    public var source: String?
    public var direction: MessageDirection
    public var tasks: Set<AnalysisTask>
    public var history: [ConversationTurn]
    public var catalog: [String]
    public var forceLLM: Bool
    public var skipCache: Bool
    public var metadata: EventMetadata
    /// The trace context of this event's processing (set by the processor, not read from the
    /// payload): outgoing calls made for it carry these as `traceparent` / `tracestate`.
    public var traceparent: String? = nil
    public var tracestate: String? = nil

    public var known: KnownIdentifiers {
        KnownIdentifiers(eventID: eventID, leadID: leadID, businessID: businessID, tenantID: tenantID)
    }
}
