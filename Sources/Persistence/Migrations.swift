import Foundation
import Logging
import PostgresNIO

/// One schema change shipped with the worker. Statements run in order, in one transaction with
/// the others of the same `migrate()` call. Never edit a released migration: add a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    /// FNV-1a of the statements, recorded to notice a migration edited after release.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for statement in statements {
            for byte in statement.utf8 {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01b3
            }
            hash ^= 0xff
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The migrations of backend-worker, in order. Tables are created in the connection's current
/// schema (the first of `search_path`).
public enum Migrations {
    public static let all: [Migration] = [
        Migration(version: 1, name: "create_leads", statements: [
            """
            CREATE TABLE leads (
                lead_id            text PRIMARY KEY,
                business_id        text NOT NULL,
                tenant_id          text,
                first_name         text,
                phone              text,
                email              text,
                intent_type        text,
                extracted_entities jsonb,
                custom_fields      jsonb NOT NULL DEFAULT '{}'::jsonb,
                lead_quality       text CHECK (lead_quality IN ('hot', 'warm', 'cold')),
                lead_score         integer CHECK (lead_score BETWEEN 0 AND 100),
                ai_updated_at      timestamptz,
                last_event_time    timestamptz,
                created_at         timestamptz NOT NULL DEFAULT now(),
                updated_at         timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX leads_business_tenant_idx ON leads (business_id, tenant_id)",
            "CREATE INDEX leads_business_quality_idx ON leads (business_id, lead_quality, lead_score DESC)",
            "CREATE INDEX leads_intent_idx ON leads (business_id, intent_type)",
        ]),
        Migration(version: 2, name: "create_lead_activities", statements: [
            """
            CREATE TABLE lead_activities (
                activity_id     text PRIMARY KEY DEFAULT gen_random_uuid()::text,
                lead_id         text NOT NULL REFERENCES leads (lead_id) ON DELETE CASCADE,
                activity_type   text NOT NULL,
                source_event_id text,
                metadata        jsonb NOT NULL DEFAULT '{}'::jsonb,
                created_at      timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX lead_activities_lead_idx ON lead_activities (lead_id, created_at DESC)",
            // One activity of a type per event: a second delivery cannot add another.
            """
            CREATE UNIQUE INDEX lead_activities_event_type_idx ON lead_activities (source_event_id, activity_type)
                WHERE source_event_id IS NOT NULL
            """,
        ]),
        Migration(version: 3, name: "create_processed_messages", statements: [
            """
            CREATE TABLE processed_messages (
                event_id     text PRIMARY KEY,
                event_type   text NOT NULL,
                topic        text NOT NULL,
                partition    integer NOT NULL,
                "offset"     bigint NOT NULL,
                lead_id      text,
                outcome      text NOT NULL CHECK (outcome IN ('applied', 'stale', 'error_recorded', 'dead_lettered')),
                processed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX processed_messages_processed_at_idx ON processed_messages (processed_at)",
            "CREATE INDEX processed_messages_position_idx ON processed_messages (topic, partition, \"offset\")",
        ]),
        Migration(version: 4, name: "create_dead_letter_queue", statements: [
            """
            CREATE TABLE dead_letter_queue (
                id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                topic            text NOT NULL,
                partition        integer NOT NULL,
                "offset"         bigint NOT NULL,
                key              text,
                key_encoding     text NOT NULL DEFAULT 'utf8' CHECK (key_encoding IN ('utf8', 'base64')),
                payload          text NOT NULL,
                payload_encoding text NOT NULL DEFAULT 'utf8' CHECK (payload_encoding IN ('utf8', 'base64')),
                event_id         text,
                lead_id          text,
                error_code       text NOT NULL,
                error            text NOT NULL,
                status           text NOT NULL DEFAULT 'failed' CHECK (status IN ('failed', 'replayed', 'discarded')),
                attempts         integer NOT NULL DEFAULT 1,
                created_at       timestamptz NOT NULL DEFAULT now(),
                updated_at       timestamptz NOT NULL DEFAULT now(),
                replayed_at      timestamptz
            )
            """,
            // A record redelivered after a crash updates its row instead of adding one.
            "CREATE UNIQUE INDEX dead_letter_queue_position_idx ON dead_letter_queue (topic, partition, \"offset\")",
            "CREATE INDEX dead_letter_queue_status_idx ON dead_letter_queue (status, created_at DESC)",
            "CREATE INDEX dead_letter_queue_event_idx ON dead_letter_queue (event_id) WHERE event_id IS NOT NULL",
        ]),
        Migration(version: 5, name: "create_follow_up_tables", statements: [
            """
            CREATE TABLE order_drafts (
                order_draft_id  text PRIMARY KEY DEFAULT gen_random_uuid()::text,
                lead_id         text NOT NULL REFERENCES leads (lead_id) ON DELETE CASCADE,
                business_id     text NOT NULL,
                tenant_id       text,
                source_event_id text NOT NULL UNIQUE,
                status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'cancelled')),
                products        jsonb NOT NULL DEFAULT '[]'::jsonb,
                quantities      jsonb NOT NULL DEFAULT '[]'::jsonb,
                prices          jsonb NOT NULL DEFAULT '[]'::jsonb,
                created_at      timestamptz NOT NULL DEFAULT now(),
                updated_at      timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX order_drafts_lead_idx ON order_drafts (lead_id)",
            "CREATE INDEX order_drafts_business_idx ON order_drafts (business_id, status, created_at DESC)",
            """
            CREATE TABLE sales_notifications (
                notification_id text PRIMARY KEY DEFAULT gen_random_uuid()::text,
                lead_id         text NOT NULL REFERENCES leads (lead_id) ON DELETE CASCADE,
                business_id     text NOT NULL,
                tenant_id       text,
                source_event_id text NOT NULL,
                reason          text NOT NULL,
                priority        text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
                lead_score      integer,
                lead_quality    text,
                status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'acknowledged')),
                created_at      timestamptz NOT NULL DEFAULT now(),
                UNIQUE (source_event_id, reason)
            )
            """,
            "CREATE INDEX sales_notifications_lead_idx ON sales_notifications (lead_id)",
            "CREATE INDEX sales_notifications_business_idx ON sales_notifications (business_id, status, created_at DESC)",
            """
            CREATE TABLE support_tickets (
                ticket_id       text PRIMARY KEY DEFAULT gen_random_uuid()::text,
                lead_id         text NOT NULL REFERENCES leads (lead_id) ON DELETE CASCADE,
                business_id     text NOT NULL,
                tenant_id       text,
                source_event_id text NOT NULL UNIQUE,
                category        text NOT NULL,
                priority        text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
                status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'resolved', 'closed')),
                order_ids       jsonb NOT NULL DEFAULT '[]'::jsonb,
                sentiment       text,
                created_at      timestamptz NOT NULL DEFAULT now(),
                updated_at      timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX support_tickets_lead_idx ON support_tickets (lead_id)",
            "CREATE INDEX support_tickets_business_idx ON support_tickets (business_id, status, priority, created_at DESC)",
            """
            CREATE TABLE callback_tasks (
                task_id             text PRIMARY KEY DEFAULT gen_random_uuid()::text,
                lead_id             text NOT NULL REFERENCES leads (lead_id) ON DELETE CASCADE,
                business_id         text NOT NULL,
                tenant_id           text,
                source_event_id     text NOT NULL UNIQUE,
                kind                text NOT NULL CHECK (kind IN ('call', 'booking')),
                requested_time      timestamptz,
                requested_time_text text,
                phone               text,
                status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'scheduled', 'done', 'cancelled')),
                created_at          timestamptz NOT NULL DEFAULT now(),
                updated_at          timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX callback_tasks_lead_idx ON callback_tasks (lead_id)",
            "CREATE INDEX callback_tasks_business_idx ON callback_tasks (business_id, status, requested_time)",
            """
            CREATE TABLE review_flags (
                flag_id         text PRIMARY KEY DEFAULT gen_random_uuid()::text,
                lead_id         text NOT NULL REFERENCES leads (lead_id) ON DELETE CASCADE,
                business_id     text NOT NULL,
                tenant_id       text,
                source_event_id text NOT NULL UNIQUE,
                reason          text NOT NULL,
                intent          text,
                confidence      double precision,
                status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'reviewed', 'dismissed')),
                created_at      timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX review_flags_lead_idx ON review_flags (lead_id)",
            "CREATE INDEX review_flags_business_idx ON review_flags (business_id, status, created_at DESC)",
        ]),
        // Idempotency rests on the source event (SourceKey): rows written before this migration
        // keep a NULL source_key and stay deduplicated by the output's event id only.
        Migration(version: 6, name: "key_on_source_event", statements: [
            "ALTER TABLE processed_messages ADD COLUMN source_key text",
            "CREATE UNIQUE INDEX processed_messages_source_key_idx ON processed_messages (source_key) WHERE source_key IS NOT NULL",
            "ALTER TABLE lead_activities ADD COLUMN source_key text",
            """
            CREATE UNIQUE INDEX lead_activities_source_key_idx ON lead_activities (source_key, activity_type)
                WHERE source_key IS NOT NULL
            """,
            "ALTER TABLE order_drafts ADD COLUMN source_key text",
            "CREATE UNIQUE INDEX order_drafts_source_key_idx ON order_drafts (source_key) WHERE source_key IS NOT NULL",
            "ALTER TABLE sales_notifications ADD COLUMN source_key text",
            "CREATE UNIQUE INDEX sales_notifications_source_key_idx ON sales_notifications (source_key, reason) WHERE source_key IS NOT NULL",
            "ALTER TABLE support_tickets ADD COLUMN source_key text",
            "CREATE UNIQUE INDEX support_tickets_source_key_idx ON support_tickets (source_key) WHERE source_key IS NOT NULL",
            "ALTER TABLE callback_tasks ADD COLUMN source_key text",
            "CREATE UNIQUE INDEX callback_tasks_source_key_idx ON callback_tasks (source_key) WHERE source_key IS NOT NULL",
            "ALTER TABLE review_flags ADD COLUMN source_key text",
            "CREATE UNIQUE INDEX review_flags_source_key_idx ON review_flags (source_key) WHERE source_key IS NOT NULL",
        ]),
    ]
}

/// Applies `Migrations.all` idempotently. Concurrent callers (several replicas starting together)
/// serialize on a transaction-scoped advisory lock keyed by the current schema; the second one
/// finds everything applied and does nothing.
public struct Migrator: Sendable {
    public let client: PostgresClient
    public let migrations: [Migration]
    public let logger: Logger

    /// The server's settings: its errors name it (`host:port/database`), and a server that
    /// cannot be reached is told at once with the cause (refused, timeout, authentication).
    public let database: DatabaseConfig?

    public init(client: PostgresClient, migrations: [Migration] = Migrations.all, database: DatabaseConfig? = nil, logger: Logger) {
        self.database = database
        self.client = client
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Applies the missing migrations in one transaction; returns the versions it applied
    /// (empty when the schema was up to date). Creates the `search_path` schema when the client's
    /// configuration names one that does not exist yet.
    @discardableResult
    public func migrate() async throws(PersistenceError) -> [Int] {
        let migrations = self.migrations
        let logger = self.logger
        try await database?.checkConnection(logger: logger)
        do {
            return try await client.withConnection { connection in
                try await Migrator.migrate(connection: connection, migrations: migrations, logger: logger)
            }
        } catch {
            let classified = await database?.explain(error, logger: logger) ?? PersistenceError.classify(error)
            if classified.isRetryable || classified.code == .shutdown { throw classified }
            var failure = classified
            failure.code = .migration
            failure.message = "applying migrations failed"
            throw failure
        }
    }

    /// `migrate()` at start-up: waits out a database that is not reachable yet (or a transient
    /// failure) with the retrier's backoff. Throws only `.shutdown` or a migration error.
    @discardableResult
    public func migrate(retrying retrier: Retrier) async throws(PersistenceError) -> [Int] {
        try await retrier.run { () async throws(PersistenceError) -> [Int] in try await self.migrate() }
    }

    /// The versions recorded in `schema_migrations` (empty when the table does not exist).
    public func appliedVersions() async throws(PersistenceError) -> [Int] {
        do {
            let rows = try await client.run(
                "SELECT version FROM schema_migrations ORDER BY version", logger: logger
            )
            var versions: [Int] = []
            for version in try rows.decode(Int.self) { versions.append(version) }
            return versions
        } catch {
            let classified = PersistenceError.classify(error)
            if classified.sqlState == "42P01" { return [] }
            throw classified
        }
    }

    static func migrate(connection: PostgresConnection, migrations: [Migration], logger: Logger) async throws -> [Int] {
        try await connection.run("BEGIN", logger: logger)
        do {
            // Create the schema first when search_path names a missing one.
            let schemaRows = try await connection.run(
                "SELECT current_schema(), current_setting('search_path')", logger: logger
            )
            var currentSchema: String?
            var searchPath = ""
            for (schema, path) in try schemaRows.decode((String?, String).self) {
                currentSchema = schema
                searchPath = path
            }
            let schema: String
            if let currentSchema {
                schema = currentSchema
            } else {
                let first = searchPath.split(separator: ",").first.map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                } ?? ""
                guard DatabaseConfig.isValidIdentifier(first) else {
                    throw PersistenceError(code: .migration, message: "search_path names no usable schema")
                }
                schema = first
            }
            // One lock per schema: replicas of the same deployment serialize, test schemas do not.
            // Taken before CREATE SCHEMA so that two first starts do not race on it either.
            try await connection.run(
                "SELECT pg_advisory_xact_lock(hashtext('backend-worker.migrations'), hashtext(\(schema)))",
                logger: logger
            )
            if currentSchema == nil {
                try await connection.run("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema)", logger: logger)
            }
            try await connection.run(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            var applied: [Int: String] = [:]
            let rows = try await connection.run("SELECT version, checksum FROM schema_migrations", logger: logger)
            for (version, checksum) in try rows.decode((Int, String).self) { applied[version] = checksum }

            var appliedNow: [Int] = []
            for migration in migrations {
                if let checksum = applied[migration.version] {
                    if checksum != migration.checksum {
                        logger.warning(
                            "An applied migration differs from the shipped one",
                            metadata: [LogKeys.migrationVersion: "\(migration.version)", LogKeys.migrationName: "\(migration.name)"]
                        )
                    }
                    continue
                }
                for statement in migration.statements {
                    try await connection.run(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.run(
                    "INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(migration.checksum))",
                    logger: logger
                )
                appliedNow.append(migration.version)
                logger.info(
                    "Applied migration",
                    metadata: [LogKeys.migrationVersion: "\(migration.version)", LogKeys.migrationName: "\(migration.name)", LogKeys.schema: "\(schema)"]
                )
            }
            try await connection.run("COMMIT", logger: logger)
            return appliedNow
        } catch {
            await ResultApplier.abandonTransaction(on: connection, after: error, logger: logger)
            throw error
        }
    }
}
