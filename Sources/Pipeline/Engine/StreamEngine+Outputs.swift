import Events
import Kafka

extension StreamEngine {
    enum OutputKind: Sendable, Equatable {
        case result, error
        /// The `OUTPUT_REJECTED` ai.error that replaced a result that could not be published.
        case rejection
    }

    /// An output handed to the producer (or waiting to be sent again).
    struct PendingOutput: Sendable {
        var job: StreamJob
        var record: OutgoingRecord
        var kind: OutputKind
        /// Attempts so far, the one in progress included.
        var attempts: Int
        /// The failure that made a result into its rejection.
        var rejectedFor: String?
    }

    enum OutputDecision: Sendable {
        /// Produce the record under this delivery token.
        case send(UInt)
        /// The job's partition moved away or the deadline passed: nothing is produced.
        case dropped(EngineEffects)
    }

    enum FailureDecision: Sendable {
        /// Produce the same record again after the delay.
        case retry(after: Duration)
        /// Build the result's `OUTPUT_REJECTED` ai.error and hand it to `rejectionReady`.
        case reject(StreamJob, cause: String, attempts: Int)
        /// An ai.error could not be produced: the partition stops (paused, offset not moved).
        case halt(Halt, EngineEffects)
        /// The producer failed fatally: shut down.
        case fatal
        case dropped(EngineEffects)
        /// No such output (already settled).
        case unknown
    }

    /// A skipped input (valid outbound message): finished without output.
    mutating func skipped(_ job: StreamJob, now: ContinuousClock.Instant) -> EngineEffects {
        complete(job, moved: true, now: now) { $0.skipped += 1 }
    }

    /// The worker built the job's output.
    mutating func outputReady(_ job: StreamJob, record: OutgoingRecord, kind: OutputKind, now: ContinuousClock.Instant) -> OutputDecision {
        guard phase != .abandoning, belongsToLiveAssignment(job) else { return .dropped(abandon(job, now: now)) }
        let token = nextToken
        nextToken += 1
        outputs[token] = PendingOutput(job: job, record: record, kind: kind, attempts: 1)
        return .send(token)
    }

    /// The record to produce again for `token`, unless it was settled or must be dropped.
    mutating func resendRecord(_ token: UInt, now: ContinuousClock.Instant) -> (record: OutgoingRecord?, effects: EngineEffects) {
        guard let output = outputs[token] else { return (nil, .none) }
        guard phase != .abandoning, belongsToLiveAssignment(output.job) else {
            outputs[token] = nil
            return (nil, abandon(output.job, now: now))
        }
        return (output.record, .none)
    }

    /// The job whose result must be replaced by its rejection, and the cause.
    func rejection(for token: UInt) -> PendingOutput? { outputs[token] }

    /// The rejection of a result is built: it takes the result's place under the same token.
    mutating func rejectionReady(_ token: UInt, record: OutgoingRecord, now: ContinuousClock.Instant) -> OutputDecision {
        guard var output = outputs[token] else { return .dropped(.none) }
        guard phase != .abandoning, belongsToLiveAssignment(output.job) else {
            outputs[token] = nil
            return .dropped(abandon(output.job, now: now))
        }
        output.record = record
        output.kind = .rejection
        output.attempts = 1
        outputs[token] = output
        return .send(token)
    }

    /// The broker acknowledged the output: its input is done.
    mutating func delivered(_ token: UInt, now: ContinuousClock.Instant) -> EngineEffects {
        guard let output = outputs.removeValue(forKey: token) else { return .none }
        return complete(output.job, moved: true, now: now) { stats in
            switch output.kind {
            case .result: stats.results += 1
            case .error: stats.errors += 1
            case .rejection:
                stats.errors += 1
                stats.rejected += 1
            }
        }
    }

    /// Producing the output failed (synchronously or in its delivery report).
    mutating func deliveryFailed(_ token: UInt, failure: DeliveryFailure, now: ContinuousClock.Instant) -> FailureDecision {
        guard var output = outputs[token] else { return .unknown }
        stats.deliveryFailures += 1
        if case .fatal = failure { return .fatal }
        guard phase != .abandoning, belongsToLiveAssignment(output.job) else {
            outputs[token] = nil
            return .dropped(abandon(output.job, now: now))
        }
        if failure == .queueFull { return .retry(after: settings.retry.initialBackoff) }
        if case .transient = failure, output.attempts < settings.retry.maxAttempts {
            let delay = settings.retry.backoff(after: output.attempts)
            output.attempts += 1
            outputs[token] = output
            return .retry(after: delay)
        }
        if output.kind == .result {
            output.rejectedFor = failure.name
            outputs[token] = output
            return .reject(output.job, cause: failure.name, attempts: output.attempts)
        }
        outputs[token] = nil
        return halt(output.job, cause: failure.name, now: now)
    }

    // MARK: completion

    /// The input's ai.error cannot be produced: its partition stops moving. The job no longer
    /// counts as running (a revocation does not wait for it) and its lane is released; its
    /// offset stays unfinished, so nothing at or past it is committed.
    private mutating func halt(_ job: StreamJob, cause: String, now: ContinuousClock.Instant) -> FailureDecision {
        stats.inFlight -= 1
        stats.halted += 1
        let halt = Halt(partition: job.partition, offset: job.record.offset, cause: cause)
        if let index = partitions.index(forKey: job.partition), partitions.values[index].assignment == job.assignment {
            partitions.values[index].running -= 1
            if partitions.values[index].halt == nil { partitions.values[index].halt = halt }
        } else if let index = revoking.index(forKey: job.partition), revoking.values[index].assignment == job.assignment {
            revoking.values[index].running -= 1
        }
        var effects = settle(job)
        if let drained = revocationDrainedNumber() { effects.revokeDrained = drained }
        return .halt(halt, effects)
    }

    /// A running job ends without moving its offset.
    mutating func abandon(_ job: StreamJob, now: ContinuousClock.Instant) -> EngineEffects {
        complete(job, moved: false, now: now) { $0.abandoned += 1 }
    }

    /// A running job is finished; `moved` says whether its offset may be committed.
    private mutating func complete(
        _ job: StreamJob, moved: Bool, now: ContinuousClock.Instant, count: (inout PipelineStats) -> Void
    ) -> EngineEffects {
        stats.inFlight -= 1
        count(&stats)
        if moved { stats.finished += 1 }
        let offset = job.record.offset
        var revocationWork = false
        if let index = partitions.index(forKey: job.partition), partitions.values[index].assignment == job.assignment {
            partitions.values[index].running -= 1
            if moved { partitions.values[index].tracker.finish(offset) }
            partitions.values[index].lastProgress = now
        } else if let index = revoking.index(forKey: job.partition), revoking.values[index].assignment == job.assignment {
            revoking.values[index].running -= 1
            if moved { revoking.values[index].tracker.finish(offset) }
            revocationWork = true
        }
        var effects = settle(job)
        if revocationWork, let drained = revocationDrainedNumber() { effects.revokeDrained = drained }
        return effects
    }

    /// After a job left the in-flight set: its lane's next job, capacity, resume and drain.
    private mutating func settle(_ job: StreamJob) -> EngineEffects {
        var effects = EngineEffects()
        releaseLane(of: job, into: &effects)
        if stats.inFlight <= settings.resumeBelow {
            if capacityWaiting {
                capacityWaiting = false
                effects.capacityFreed = true
            }
            if backpressurePaused, !resumeRequested {
                resumeRequested = true
                effects.wakeConsumer = true
            }
        }
        if phase != .running, stats.inFlight == 0 { effects.drained = true }
        return effects
    }

    private func revocationDrainedNumber() -> UInt64? {
        guard !revoking.isEmpty, revoking.values.allSatisfy({ $0.running == 0 }) else { return nil }
        return currentRevocation
    }
}
