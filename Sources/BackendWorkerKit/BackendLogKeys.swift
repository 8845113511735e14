/// Logger metadata keys of backend-worker's assembly and batch consumer (the project's shared
/// names are `LogFields`).
public enum BackendLogKeys {
    public static let topics = "kafka.topics"
    public static let partitions = "kafka.partitions"
    public static let error = "error"
    public static let config = "config"
    public static let applied = "batch.applied"
    public static let dropped = "batch.dropped"
    public static let migrationsApplied = "db.migrations_applied"
}
