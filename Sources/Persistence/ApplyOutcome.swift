/// What happened to one record.
public struct ApplyOutcome: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// The lead was updated from the result.
        case applied
        /// Older than the lead's `last_event_time`: recorded as an activity (and its follow-ups),
        /// the lead's AI fields were left alone.
        case stale
        /// An `ai.error` recorded as an `ai_error` activity.
        case errorRecorded = "error_recorded"
        /// The event id was already in `processed_messages`: nothing changed.
        case duplicate
        /// Stored in `dead_letter_queue` (bad payload, business/tenant mismatch, unroutable error,
        /// or a permanent database error for this record).
        case deadLettered = "dead_lettered"
    }

    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var status: Status
    public var eventID: String?
    public var leadID: String?
    /// The lead row did not exist and was created from the event's ids.
    public var leadCreated: Bool = false
    /// Names of the follow-up rows created (`FollowUpAction.name`).
    public var followUps: [String] = []
    /// For `.deadLettered`: why, and the `dead_letter_queue.id`.
    public var deadLetterCode: PersistenceError.Code?
    public var deadLetterID: Int64?

    public init(record: InboundRecord, status: Status, eventID: String? = nil, leadID: String? = nil) {
        self.topic = record.topic
        self.partition = record.partition
        self.offset = record.offset
        self.status = status
        self.eventID = eventID
        self.leadID = leadID
    }
}
