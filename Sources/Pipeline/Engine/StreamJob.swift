import Kafka

/// One input record on its way through the stream engine.
struct StreamJob: Sendable {
    var record: KafkaRecord
    /// The assignment of its partition that admitted it; a job of an earlier assignment no
    /// longer moves that partition's offsets.
    var assignment: UInt64
    var lane: KeyedScheduler<StreamJob>.Lane?
    var partition: TopicPartition { record.topicPartition }
}

/// What a worker task is asked to do next.
enum WorkItem: Sendable {
    case process(StreamJob)
    /// Produce an output again (after `delay`) whose previous attempt failed.
    case resend(token: UInt, delay: Duration)
    /// Replace a result that cannot be published with its `OUTPUT_REJECTED` ai.error.
    case reject(token: UInt)
}

/// What the stream engine asks its executor to do after one transition, apart from what the
/// transition returns itself. Every field is optional work; the empty value means nothing.
struct EngineEffects: Sendable {
    /// The next job of a lane that was released.
    var next: StreamJob?
    /// Fetching may resume: wake the poll thread so that its afterPoll step runs now.
    var wakeConsumer = false
    /// In-flight work fell to the resume level: end a capacity wait.
    var capacityFreed = false
    /// The revocation with this number has no running work left.
    var revokeDrained: UInt64?
    /// Shutdown: every admitted event is finished or abandoned.
    var drained = false

    static let none = EngineEffects()
}
