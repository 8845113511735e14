import Kafka

/// How an output that librdkafka refused or failed to deliver is treated, decided from the
/// error at its source.
enum DeliveryFailure: Sendable, Equatable {
    /// librdkafka's queue is full: wait for acknowledgements and send again (not an attempt).
    case queueFull
    /// May succeed later (broker moving, timeouts): bounded retries with backoff.
    case transient(String)
    /// Will never succeed for this record (too large, unknown topic, refused by the broker).
    case permanent(String)
    /// The producer can produce nothing more (idempotence fatal error).
    case fatal(String)

    init(_ error: KafkaError) {
        let name = error.name
        if error.isFatal || error.code == .fatal {
            self = .fatal(name)
        } else if error.code == .queueFull {
            self = .queueFull
        } else if let code = error.code, Self.permanentCodes.contains(code) {
            self = .permanent(name)
        } else if error.isRetriable || error.code.map(Self.transientCodes.contains) == true {
            self = .transient(name)
        } else {
            self = .permanent(name)
        }
    }

    /// Errors that no retry can change for the same record.
    static let permanentCodes: Set<KafkaError.Code> = [
        .messageSizeTooLarge, .recordListTooLarge, .invalidRecord, .invalidArgument, .topicAuthorizationFailed,
        .unknownPartition, .state,
    ]

    /// Errors of a cluster in motion. An unknown topic is here too: on a real cluster it may be
    /// being created; after the retries it is treated as permanent.
    static let transientCodes: Set<KafkaError.Code> = [
        .messageTimedOut, .timedOut, .transport, .allBrokersDown, .requestTimedOut, .notEnoughReplicas,
        .notEnoughReplicasAfterAppend, .leaderNotAvailable, .notLeaderForPartition, .networkException,
        .unknownTopic, .unknownTopicOrPartition, .purgedInFlight, .purgedQueue,
    ]

    /// The error name, for logs, metrics and the rejection's message.
    var name: String {
        switch self {
        case .queueFull: "_QUEUE_FULL"
        case .transient(let name), .permanent(let name), .fatal(let name): name
        }
    }
}

/// Bounded retries with exponential backoff for transient delivery failures.
public struct DeliveryRetryPolicy: Sendable, Equatable {
    /// Attempts per output, the first included; past them a transient failure is permanent.
    public var maxAttempts = 5
    public var initialBackoff: Duration = .milliseconds(100)
    public var maxBackoff: Duration = .seconds(5)

    public init() {}

    /// The wait before attempt `attempt + 1` (attempt counts from 1).
    func backoff(after attempt: Int) -> Duration {
        var delay = initialBackoff
        for _ in 1..<max(1, attempt) where delay < maxBackoff { delay *= 2 }
        return min(delay, maxBackoff)
    }
}
