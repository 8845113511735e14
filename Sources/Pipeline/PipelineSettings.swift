/// Limits of the streaming pipeline.
public struct PipelineSettings: Sendable {
    /// Events admitted and not yet finished (output acknowledged); fetching pauses at this level.
    public var maxInFlight: Int = 10_000
    /// Worker tasks running events concurrently (each waits on at most one LLM call).
    public var concurrency: Int = 256
    /// How long a revocation waits for the revoked partitions' running events.
    public var revokeDrainTimeout: Duration = .seconds(5)
    /// How long SIGTERM waits for in-flight events before closing.
    public var shutdownDeadline: Duration = .seconds(25)

    public init() {}

    /// Fetching resumes when in-flight work falls to this level.
    var resumeBelow: Int { maxInFlight * 3 / 4 }
}

/// Counts since start, readable at any time.
public struct PipelineStats: Sendable, Equatable {
    public var consumed = 0
    public var results = 0
    public var errors = 0
    public var skipped = 0
    public var deliveryFailures = 0
    /// Events whose processing finished (output acknowledged, or skipped).
    public var finished = 0
    public var inFlight = 0
    public var paused = false
    public init() {}
}
