/// Logger metadata keys of this module (the project's shared names where they exist).
enum LogKeys {
    static let topic = "kafka.topic"
    static let partition = "kafka.partition"
    static let offset = "kafka.offset"
    static let eventID = "event.id"
    static let leadID = "lead.id"
    static let errorCode = "error.code"
    static let outcome = "persistence.outcome"
    static let batchSize = "persistence.batch_size"
    static let deadLetterID = "dlq.id"
    static let attempt = "retry.attempt"
    static let delay = "retry.delay_ms"
    static let migrationVersion = "migration.version"
    static let migrationName = "migration.name"
    static let schema = "db.schema"
    static let database = "db.endpoint"
}
