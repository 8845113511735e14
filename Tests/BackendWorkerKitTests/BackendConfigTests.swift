import BackendWorkerKit
import Persistence
import Testing
import WorkerSupport

@Suite struct BackendConfigTests {
    @Test func defaultsDifferFromAIWorker() throws {
        let config = try BackendConfig.load(environment: ["DATABASE_URL": "postgres://u:secret@db:5432/leads"])
        #expect(config.kafka.groupID == "biznavigate-backend-group")
        #expect(config.kafka.clientID == "backend-worker")
        #expect(config.httpPort == 9465)
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
        #expect(throws: ConfigError.self) { try BackendConfig.load(environment: [:]) }
        do {
            _ = try BackendConfig.load(environment: ["DATABASE_URL": "mysql://x"])
            Issue.record("accepted a non-PostgreSQL URL")
        } catch {
            #expect(error.variable == "DATABASE_URL")
        }
    }

    @Test func aiWorkerVariablesDoNotStopTheBackend() throws {
        let config = try BackendConfig.load(environment: [
            "DATABASE_URL": "postgres://u@db/leads", "LLM_PRICES": "not a table", "REDIS_URL": "http://nope", "LLM_PROVIDER": "nonsense",
            "MAX_IN_FLIGHT": "lots",
        ])
        #expect(config.database.host == "db")
    }

    @Test func itsOwnVariablesAreValidated() {
        for (name, value) in [("BACKEND_BATCH_SIZE", "0"), ("HTTP_PORT", "70000"), ("KAFKA_BROKERS", "nohost"), ("LOG_FORMAT", "xml")] {
            do {
                _ = try BackendConfig.load(environment: ["DATABASE_URL": "postgres://u@db/leads", name: value])
                Issue.record("accepted \(name)=\(value)")
            } catch {
                #expect(error.variable == name)
                #expect(error.value == value)
            }
        }
    }

    @Test func topicsAndKafkaSettingsAreRead() throws {
        let config = try BackendConfig.load(environment: [
            "DATABASE_URL": "postgres://u@db/leads", "TOPIC_RESULT": "prod.results", "TOPIC_ERROR": "prod.errors",
            "KAFKA_BROKERS": "k1:9092,k2:9092", "KAFKA_SECURITY_PROTOCOL": "SASL_SSL", "KAFKA_SASL_PASSWORD": "pw", "KAFKA_SASL_USERNAME": "u",
        ])
        #expect(config.topics.kind(of: "prod.results") == .result)
        #expect(config.topics.kind(of: "prod.errors") == .error)
        let properties = config.kafka.consumerProperties(bootstrap: try config.requiredBrokers())
        #expect(properties["bootstrap.servers"] == "k1:9092,k2:9092")
        #expect(properties["security.protocol"] == "sasl_ssl")
        #expect(properties["sasl.password"] == "pw")
        #expect(properties["group.id"] == "biznavigate-backend-group")
        #expect(!config.description.contains("pw"))
    }

    @Test func noBrokersSaysHowToGetOne() throws {
        let config = try BackendConfig.load(environment: ["DATABASE_URL": "postgres://u@db/leads"])
        #expect(throws: ConfigError.self) { try config.requiredBrokers() }
        do {
            _ = try config.requiredBrokers()
        } catch {
            #expect(error.variable == "KAFKA_BROKERS")
            #expect(error.description.contains("ai-worker broker --load-fixtures"))
        }
    }
}
