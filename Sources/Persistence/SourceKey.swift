/// The identity of the input an output was made from: what backend-worker's idempotency
/// (`processed_messages.source_key`) and the follow-up rows' uniqueness rest on.
///
/// - A result: `result|<source_event_type>|<source_event_id>` — the input's topic and its
///   envelope `event_id`.
/// - An `ai.error`: `error|<source_topic>|<source_event_id>` when the input had an event id,
///   else `error|<source_topic>@<source_partition>/<source_offset>` (an input that could not be
///   parsed has no event id; its Kafka position is all that identifies it).
/// - Without any of these (an older producer): `output|<event_id>`.
///
/// Why the source event and not the output's `event_id`: ai-worker now derives the output's
/// `event_id` from the input (a name-based UUID over topic, partition, offset and the input's
/// `event_id`), so reprocessing the same record gives the same id — but an output of an older
/// ai-worker (random ids), and the output for the same input event published twice upstream
/// (a producer retry lands at another offset, so the derived id differs), would still be applied
/// twice. The source event id is the same in all these cases. Why not the input's Kafka position
/// for results: the same upstream retry has two positions. Results and errors are apart: an
/// input that first failed (a retryable `ai.error`) and then succeeded records both, once each.
enum SourceKey {
    static func of(_ result: AIResultEvent) -> String {
        guard let id = result.sourceEventID else { return "output|\(result.eventID)" }
        return "result|\(result.sourceEventType ?? "")|\(id)"
    }

    static func of(_ error: AIErrorEvent) -> String {
        let topic = error.sourceTopic ?? ""
        if let id = error.sourceEventID { return "error|\(topic)|\(id)" }
        if let partition = error.sourcePartition, let offset = error.sourceOffset { return "error|\(topic)@\(partition)/\(offset)" }
        return "output|\(error.eventID)"
    }

    static func of(_ event: InboundEvent) -> String {
        switch event {
        case .result(let result): of(result)
        case .error(let error): of(error)
        }
    }
}
