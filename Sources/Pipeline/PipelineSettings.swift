/// Limits of the streaming pipeline.
public struct PipelineSettings: Sendable {
    /// Events admitted and not yet finished (output acknowledged); fetching pauses at this level.
    public var maxInFlight: Int = 10_000
    /// Worker tasks running events concurrently (each waits on at most one LLM call).
    public var concurrency: Int = 256
    /// How long a revocation waits for the revoked partitions' running events.
    public var revokeDrainTimeout: Duration = .seconds(5)
    /// How long SIGTERM waits for in-flight events; past it queued work is abandoned (not
    /// committed), running LLM calls are cancelled, and the worker closes within 2 s more.
    public var shutdownDeadline: Duration = .seconds(25)
    /// Retries of outputs whose delivery failed transiently.
    public var deliveryRetry = DeliveryRetryPolicy()
    /// A partition with lag and no progress for this long counts as stalled (metric, readiness).
    public var stallTimeout: Duration = .seconds(120)

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
    /// Results replaced by an `OUTPUT_REJECTED` ai.error (counted in `errors` too).
    public var rejected = 0
    /// Inputs whose ai.error could not be produced: their partition stopped.
    public var halted = 0
    /// Admitted events dropped without output (revoked partition, shutdown deadline).
    public var abandoned = 0
    /// Fetched records not admitted (partition not assigned, halted, or shutting down).
    public var notAdmitted = 0
    /// Events whose processing finished (output acknowledged, or skipped).
    public var finished = 0
    public var inFlight = 0
    public var paused = false
    public init() {}
}
