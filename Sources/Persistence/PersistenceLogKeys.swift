/// Logger metadata keys of this module; the shared ones are `LogFields`.
enum LogKeys {
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
