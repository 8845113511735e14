import BackendWorkerKit
import Testing

@Suite struct BackendConfigTests {
    @Test func defaultsDifferFromAIWorker() throws {
        let config = try BackendConfig.load(environment: ["DATABASE_URL": "postgres://u:secret@db:5432/leads"])
        #expect(config.common.kafka.groupID == "biznavigate-backend-group")
        #expect(config.common.httpPort == 9465)
        #expect(!config.description.contains("secret"))
    }

    @Test func libpqVariablesStandInForDatabaseURL() throws {
        let config = try BackendConfig.load(environment: ["PGHOST": "db", "PGUSER": "app", "PGPASSWORD": "p@ss", "PGDATABASE": "leads"])
        #expect(config.database.host == "db")
        #expect(config.database.username == "app")
        #expect(config.database.password == "p@ss")
        #expect(config.database.database == "leads")
    }

    @Test func missingDatabaseIsANamedError() {
        #expect(throws: (any Error).self) { try BackendConfig.load(environment: [:]) }
        do {
            _ = try BackendConfig.load(environment: ["DATABASE_URL": "mysql://x"])
            Issue.record("accepted a non-PostgreSQL URL")
        } catch {
            #expect("\(error)".contains("DATABASE_URL"))
        }
    }
}
