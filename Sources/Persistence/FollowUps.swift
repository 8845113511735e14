import Events

/// A follow-up row to create for a result. Each kind has its own table; every row carries the
/// result's event id under a unique constraint, so a redelivered result cannot add a second one.
public enum FollowUpAction: Sendable, Equatable, Hashable {
    public enum Priority: String, Sendable, CaseIterable {
        case low, normal, high, urgent
    }

    /// `order_drafts`: products, quantities and prices of the result.
    case orderDraft
    /// `sales_notifications`: tell a salesperson (`reason` is unique per event).
    case salesNotification(reason: String, priority: Priority)
    /// `support_tickets`.
    case supportTicket(category: String, priority: Priority)
    /// `callback_tasks`: `kind` is `call` or `booking`; the requested time is the first date entity.
    case callbackTask(kind: String)
    /// `review_flags`: a human should check this result.
    case reviewFlag(reason: String)

    /// Bounded name, for activity metadata and metrics.
    public var name: String {
        switch self {
        case .orderDraft: "order_draft"
        case .salesNotification: "sales_notification"
        case .supportTicket: "support_ticket"
        case .callbackTask: "callback_task"
        case .reviewFlag: "review_flag"
        }
    }
}

/// The per-intent handlers, in one table: a new intent needs one new entry here.
///
/// A handler is a pure function of the result; `actions(for:)` adds the cross-cutting rules
/// (low confidence or a `flag_for_review` suggestion → review flag).
public struct FollowUpRegistry: Sendable {
    public typealias Handler = @Sendable (AIResultEvent) -> [FollowUpAction]

    public var handlers: [Intent: Handler]
    /// Below this intent confidence a review flag is raised.
    public var lowConfidenceThreshold: Double

    public init(handlers: [Intent: Handler], lowConfidenceThreshold: Double = 0.6) {
        self.handlers = handlers
        self.lowConfidenceThreshold = lowConfidenceThreshold
    }

    public static let standard = FollowUpRegistry(handlers: [
        .orderRequest: { result in
            [.orderDraft, .salesNotification(reason: "order_request", priority: result.leadQuality == .hot ? .high : .normal)]
        },
        .orderModification: { _ in [.salesNotification(reason: "order_modification", priority: .normal)] },
        .orderCancellation: { _ in [.supportTicket(category: "cancellation", priority: .high)] },
        .complaint: { result in
            [.supportTicket(category: "complaint", priority: result.sentiment == "negative" ? .urgent : .high)]
        },
        .refundRequest: { _ in [.supportTicket(category: "refund", priority: .high)] },
        .accountSupport: { _ in [.supportTicket(category: "account", priority: .normal)] },
        .scheduleCall: { _ in [.callbackTask(kind: "call")] },
        .bookingRequest: { _ in [.callbackTask(kind: "booking")] },
        .humanAgent: { _ in [.salesNotification(reason: "human_agent", priority: .high)] },
    ])

    /// The follow-ups of one result, without duplicates, in a stable order.
    public func actions(for result: AIResultEvent) -> [FollowUpAction] {
        var actions: [FollowUpAction] = []
        if let intent = result.intent {
            actions += handlers[intent.intent]?(result) ?? []
            if intent.confidence < lowConfidenceThreshold {
                actions.append(.reviewFlag(reason: "low_confidence"))
            }
        }
        if result.suggestedActions.contains(SuggestedAction.flagForReview.rawValue),
           !actions.contains(where: { if case .reviewFlag = $0 { true } else { false } }) {
            actions.append(.reviewFlag(reason: "suggested"))
        }
        var seen = Set<FollowUpAction>()
        return actions.filter { seen.insert($0).inserted }
    }
}
