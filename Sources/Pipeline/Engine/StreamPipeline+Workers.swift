import Events
import Kafka
import Logging

extension StreamPipeline {
    func workerLoop(producer: KafkaProducer) async {
        var ids = IDGenerator()
        while let item = await queue.next() {
            switch item {
            case .process(let job):
                await process(job, ids: &ids, producer: producer)
            case .resend(let token, let delay):
                try? await Task.sleep(for: delay)
                let (record, effects) = engine.withLock { $0.resendRecord(token, now: .now) }
                apply(effects)
                if let record { await send(record, token: token, producer: producer) }
            case .reject(let token):
                await publishRejection(token, producer: producer)
            }
        }
    }

    private func process(_ job: StreamJob, ids: inout IDGenerator, producer: KafkaProducer) async {
        let (run, startEffects) = engine.withLock { $0.start(job) }
        apply(startEffects)
        guard run else { return }
        let started = ContinuousClock.now
        let output = await processor.process(job.record, ids: EventIDs(using: &ids))
        switch output {
        case .cancelled:
            apply(engine.withLock { $0.abandon(job, now: .now) })
        case .skip(let summary):
            metrics.processed(summary, duration: .now - started)
            observer?(summary)
            apply(engine.withLock { $0.skipped(job, now: .now) })
        case .publish(let record, let summary):
            metrics.processed(summary, duration: .now - started)
            let kind: StreamEngine.OutputKind = summary.kind == .error ? .error : .result
            switch engine.withLock({ $0.outputReady(job, record: record, kind: kind, now: .now) }) {
            case .send(let token):
                health.update { $0.deliveryEnqueued(now: .now) }
                await send(record, token: token, producer: producer)
                observer?(summary)
                logger.debug("Event processed", metadata: Self.eventMetadata(job.record, summary))
            case .dropped(let effects):
                apply(effects)
            }
        }
    }

    /// Builds and sends the `OUTPUT_REJECTED` ai.error that replaces a result.
    private func publishRejection(_ token: UInt, producer: KafkaProducer) async {
        guard let pending = engine.withLock({ $0.rejection(for: token) }) else { return }
        let record = processor.rejection(of: pending.job.record, cause: pending.rejectedFor ?? "unknown", attempts: pending.attempts)
        switch engine.withLock({ $0.rejectionReady(token, record: record, now: .now) }) {
        case .send(let token):
            await send(record, token: token, producer: producer)
        case .dropped(let effects):
            apply(effects)
        }
    }

    /// Hands a record to librdkafka, waiting while its queue is full; other refusals are
    /// classified and handled like a failed delivery report.
    func send(_ record: OutgoingRecord, token: UInt, producer: KafkaProducer) async {
        var backoff = Duration.milliseconds(1)
        while true {
            do {
                try producer.send(record, token: token)
                return
            } catch {
                let failure = DeliveryFailure(error)
                if failure == .queueFull, !Task.isCancelled {
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .milliseconds(200))
                    continue
                }
                deliveryFailed(token: token, failure: failure, error: error)
                return
            }
        }
    }

    /// On the producer's poll thread.
    func deliveryReport(token: UInt, result: Result<DeliveryReport, KafkaError>) {
        switch result {
        case .success(let report):
            metrics.produced(topic: report.topic)
            let now = ContinuousClock.now
            apply(engine.withLock { $0.delivered(token, now: now) })
            health.update {
                $0.deliveryFinished(now: now)
                $0.brokerAlive(now: now)
            }
        case .failure(let error):
            deliveryFailed(token: token, failure: DeliveryFailure(error), error: error)
        }
    }

    /// A produce attempt failed: retry, reject, halt or shut down, as the engine decides.
    private func deliveryFailed(token: UInt, failure: DeliveryFailure, error: KafkaError) {
        metrics.deliveryFailed(code: failure.name)
        health.update { $0.deliveryFailed(code: failure.name) }
        let now = ContinuousClock.now
        switch engine.withLock({ $0.deliveryFailed(token, failure: failure, now: now) }) {
        case .retry(let delay):
            logger.debug("Output not delivered; producing it again", metadata: [LogFields.errorCode: "\(failure.name)", "error": "\(error.message)"])
            queue.push(.resend(token: token, delay: delay))
        case .reject(let job, let cause, let attempts):
            logger.error(
                "Result cannot be published; publishing OUTPUT_REJECTED instead",
                metadata: Self.positionMetadata(job.record).merging([LogFields.errorCode: "\(cause)", "attempts": "\(attempts)", "error": "\(error.message)"]) { $1 }
            )
            metrics.rejected(code: cause)
            health.update { $0.deliveryFinished(now: now) }
            queue.push(.reject(token: token))
        case .halt(let halt, let effects):
            apply(effects)
            consumerBox.consumer?.pause([halt.partition])
            logger.error(
                "Partition stopped: the input's ai.error cannot be produced; its offset is not committed",
                metadata: [
                    LogFields.topic: "\(halt.partition.topic)", LogFields.partition: "\(halt.partition.partition)", LogFields.offset: "\(halt.offset)",
                    LogFields.errorCode: "\(halt.cause)", "error": "\(error.message)",
                ]
            )
            health.update { $0.deliveryFinished(now: now) }
            reportPartitions()
        case .fatal:
            producerError(error)
        case .dropped(let effects):
            health.update { $0.deliveryFinished(now: now) }
            apply(effects)
        case .unknown:
            break
        }
    }

    /// A client-wide producer error; a fatal one stops the worker (non-zero exit) after it
    /// committed what was acknowledged.
    func producerError(_ error: KafkaError) {
        guard error.isFatal else {
            logger.warning("Kafka producer error", metadata: [LogFields.errorCode: "\(error.name)", "error": "\(error.message)"])
            metrics.clientError(code: error.name)
            return
        }
        let first = engine.withLock { engine in
            defer { engine.producerFailed(error.name) }
            return engine.fatalProducerError == nil
        }
        guard first else { return }
        logger.critical("Kafka producer failed fatally: shutting down", metadata: [LogFields.errorCode: "\(error.name)", "error": "\(error.message)"])
        health.update { $0.producerFailed(error.name) }
        stopRequested.signal()
    }

    static func positionMetadata(_ record: KafkaRecord) -> Logger.Metadata {
        [LogFields.topic: "\(record.topic)", LogFields.partition: "\(record.partition)", LogFields.offset: "\(record.offset)"]
    }

    /// Per-event debug fields; absent values are left out. `text` is customer text (the log
    /// handler masks phones and emails).
    static func eventMetadata(_ record: KafkaRecord, _ summary: OutputSummary) -> Logger.Metadata {
        var metadata = positionMetadata(record)
        metadata[LogFields.traceID] = "\(summary.traceID)"
        metadata["outcome"] = "\(summary.kind.rawValue)"
        if let eventID = summary.eventID { metadata[LogFields.eventID] = "\(eventID)" }
        if let leadID = summary.leadID { metadata[LogFields.leadID] = "\(leadID)" }
        if let intent = summary.intent { metadata["intent"] = "\(intent.rawValue)" }
        if let tier = summary.tier { metadata["tier"] = "\(tier.rawValue)" }
        if let code = summary.errorCode { metadata[LogFields.errorCode] = "\(code.rawValue)" }
        if let text = summary.text { metadata["text"] = "\(text)" }
        return metadata
    }
}
