import Events
import Kafka
import Logging

extension StreamPipeline {
    /// The consumer's callbacks; all run on its poll thread, one at a time.
    func consumerHandlers() -> KafkaConsumer.Handlers {
        KafkaConsumer.Handlers(
            records: { [self] records in admit(records) },
            assigned: { [self] partitions in assigned(partitions) },
            revoking: { [self] partitions in revoking(partitions) },
            afterPoll: { [self] in afterPoll() },
            error: { [self] error in
                logger.warning("Kafka client error", metadata: [LogFields.errorCode: "\(error.name)", "error": "\(error.message)"])
                metrics.clientError(code: error.name)
                let now = ContinuousClock.now
                health.update { $0.clientError(error, now: now) }
            },
            stats: { [self] json in
                guard let statistics = KafkaStatistics(json: json) else { return }
                metrics.statistics(statistics)
                engine.withLock { $0.observedLag(statistics.lag) }
                if statistics.brokersUp > 0 {
                    let now = ContinuousClock.now
                    health.update { $0.brokerAlive(now: now) }
                }
            }
        )
    }

    /// Admits a fetched batch. At the in-flight limit the poll thread first waits up to a second
    /// for capacity (librdkafka drops prefetched messages on pause), then pauses fetching.
    private func admit(_ records: [KafkaRecord]) {
        metrics.consumed(records)
        let now = ContinuousClock.now
        health.update { $0.brokerAlive(now: now) }
        let (ready, full) = engine.withLock { $0.ingest(records, now: now) }
        for job in ready { queue.push(.process(job)) }
        guard full else { return }
        _ = waits.waitForCapacity(timeout: .seconds(1)) { engine.withLock { $0.capacityWaiting } }
        let pause = engine.withLock { $0.capacityWaitEnded() }
        if !pause.isEmpty {
            consumerBox.consumer?.pause(pause)
            logger.debug("Fetching paused: in-flight limit reached for a second")
        }
    }

    private func assigned(_ partitions: [TopicPartition]) {
        let now = ContinuousClock.now
        let (resume, pause) = engine.withLock { $0.assigned(partitions, now: now) }
        consumerBox.consumer?.resume(resume)
        consumerBox.consumer?.pause(pause)
        metrics.rebalance("assign")
        let total = consumerBox.consumer?.assignment.count ?? partitions.count
        health.update { $0.assigned(total: total, now: now) }
    }

    /// Drops the revoked partitions' queued work, waits (bounded) for their running work, and
    /// stores the offsets that are safe; the consumer commits them right after.
    private func revoking(_ partitions: [TopicPartition]) {
        metrics.rebalance("revoke")
        if let number = engine.withLock({ $0.revocationBegan(partitions) }) {
            let drained = waits.waitForRevocation(number, timeout: configuration.settings.revokeDrainTimeout) {
                !engine.withLock { $0.revocationDrained }
            }
            if !drained {
                logger.warning("Revocation did not wait for all running events", metadata: ["partitions": "\(partitions.map(\.description).sorted())"])
            }
        }
        let offsets = engine.withLock { $0.revocationEnded() }
        if let error = consumerBox.consumer?.storeOffsets(offsets) {
            logger.warning("Offset store on revocation failed", metadata: [LogFields.errorCode: "\(error.name)", "error": "\(error.message)"])
        }
        let total = max(0, (consumerBox.consumer?.assignment.count ?? 0) - partitions.count)
        health.update { $0.revoked(total: total) }
        reportPartitions()
    }

    private func afterPoll() {
        guard let consumer = consumerBox.consumer else { return }
        let now = ContinuousClock.now
        let (offsets, resume, stallsChanged) = engine.withLock { $0.afterPoll(now: now) }
        if !offsets.isEmpty {
            if let error = consumer.storeOffsets(offsets) {
                logger.debug("Offset store failed", metadata: ["error": "\(error)"])
            } else {
                engine.withLock { $0.offsetsStored(offsets) }
            }
        }
        if !resume.isEmpty {
            consumer.resume(resume)
            logger.debug("Fetching resumed")
        }
        if stallsChanged { reportPartitions() }
        if metrics.sampleDue(now: now) {
            health.update { $0.pollLoopAlive(now: now) }
            metrics.sample(stats: stats, assignedCount: consumer.assignment.count, producerQueue: producerBox.producer?.outstandingCount ?? 0)
        }
    }

    /// Publishes the halted and stalled partitions to readiness and metrics.
    func reportPartitions() {
        let (halts, stalled) = engine.withLock { ($0.halts, $0.stalledPartitions) }
        for partition in stalled {
            logger.warning("Partition stalled: lag and no progress", metadata: [LogFields.topic: "\(partition.topic)", LogFields.partition: "\(partition.partition)"])
        }
        health.update {
            $0.partitions(halted: halts.map { "\($0.partition)@\($0.offset): \($0.cause)" }, stalled: stalled.map(\.description))
        }
        metrics.partitions(halted: halts.count, stalled: stalled.count)
    }
}
