import Kafka

/// The Kafka client settings both daemons read (`KAFKA_*`): brokers, group, security and the
/// operator's extra librdkafka properties, passed through to the consumer and producer.
public struct KafkaSettings: Sendable {
    /// nil → no broker configured (ai-worker may start the embedded one; backend-worker refuses).
    public var brokers: String?
    public var groupID: String
    public var clientID: String
    public var securityProtocol = "plaintext"
    public var saslMechanism: String?
    public var saslUsername: String?
    public var saslPassword: String?
    public var sslCALocation: String?
    public var assignmentStrategy = "roundrobin"
    public var consumerExtra = KafkaProperties()
    public var producerExtra = KafkaProperties()

    public init(groupID: String, clientID: String) {
        self.groupID = groupID
        self.clientID = clientID
    }

    /// The variables `read(_:)` understands, for `--help` and the README.
    /// `brokers` is the daemon's help for `KAFKA_BROKERS` (what happens when it is unset).
    public static func variables(defaults: KafkaSettings, brokers: String) -> [(name: String, help: String)] {
        [
            ("KAFKA_BROKERS", brokers),
            ("KAFKA_GROUP_ID", "consumer group (default \(defaults.groupID))"),
            ("KAFKA_CLIENT_ID", "client.id (default \(defaults.clientID))"),
            ("KAFKA_SECURITY_PROTOCOL", "plaintext|ssl|sasl_plaintext|sasl_ssl (default plaintext)"),
            ("KAFKA_SASL_MECHANISM", "PLAIN|SCRAM-SHA-256|SCRAM-SHA-512"),
            ("KAFKA_SASL_USERNAME / KAFKA_SASL_PASSWORD", "SASL credentials"),
            ("KAFKA_SSL_CA_LOCATION", "CA bundle file for SSL"),
            ("KAFKA_ASSIGNMENT_STRATEGY", "roundrobin|range|cooperative-sticky (default roundrobin)"),
            ("KAFKA_CONSUMER_CONFIG / KAFKA_PRODUCER_CONFIG", "extra librdkafka properties k=v,k=v, applied last"),
        ]
    }

    /// `defaults` with the `KAFKA_*` variables of `reader` applied.
    public static func read(_ reader: ConfigReader, defaults: KafkaSettings) throws(ConfigError) -> KafkaSettings {
        var settings = defaults
        if let brokers = reader.value("KAFKA_BROKERS") {
            let valid = brokers.split(separator: ",").allSatisfy { entry in
                let parts = entry.split(separator: ":")
                return parts.count >= 2 && parts.last.flatMap { Int($0) } != nil
            }
            guard valid else { throw ConfigError(variable: "KAFKA_BROKERS", value: brokers, expected: "host:port[,host:port…]") }
            settings.brokers = brokers
        }
        if let group = reader.value("KAFKA_GROUP_ID") { settings.groupID = group }
        if let client = reader.value("KAFKA_CLIENT_ID") { settings.clientID = client }
        if let security = try reader.choice("KAFKA_SECURITY_PROTOCOL", ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]) {
            settings.securityProtocol = security
        }
        if let mechanism = reader.value("KAFKA_SASL_MECHANISM") {
            let allowed = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
            guard allowed.contains(mechanism.uppercased()) else {
                throw ConfigError(variable: "KAFKA_SASL_MECHANISM", value: mechanism, expected: "one of \(allowed.joined(separator: ", "))")
            }
            settings.saslMechanism = mechanism.uppercased()
        }
        settings.saslUsername = reader.value("KAFKA_SASL_USERNAME")
        settings.saslPassword = reader.value("KAFKA_SASL_PASSWORD")
        settings.sslCALocation = reader.value("KAFKA_SSL_CA_LOCATION")
        if let strategy = try reader.choice("KAFKA_ASSIGNMENT_STRATEGY", ["roundrobin", "range", "cooperative-sticky"]) {
            settings.assignmentStrategy = strategy
        }
        settings.consumerExtra = try reader.kafkaProperties("KAFKA_CONSUMER_CONFIG")
        settings.producerExtra = try reader.kafkaProperties("KAFKA_PRODUCER_CONFIG")
        return settings
    }

    /// Consumer properties: `base` (e.g. the embedded broker's tuning), these settings, then the
    /// operator's extras.
    public func consumerProperties(bootstrap: String, base: KafkaProperties = KafkaProperties()) -> KafkaProperties {
        var properties = base
        properties.merge(commonProperties(bootstrap: bootstrap))
        properties["group.id"] = groupID
        properties["partition.assignment.strategy"] = assignmentStrategy
        properties.merge(consumerExtra)
        return properties
    }

    public func producerProperties(bootstrap: String) -> KafkaProperties {
        var properties = commonProperties(bootstrap: bootstrap)
        properties.merge(producerExtra)
        return properties
    }

    private func commonProperties(bootstrap: String) -> KafkaProperties {
        var properties = KafkaProperties()
        properties["bootstrap.servers"] = bootstrap
        properties["client.id"] = clientID
        properties["security.protocol"] = securityProtocol
        if let saslMechanism { properties["sasl.mechanisms"] = saslMechanism }
        if let saslUsername { properties["sasl.username"] = saslUsername }
        if let saslPassword { properties["sasl.password"] = saslPassword }
        if let sslCALocation { properties["ssl.ca.location"] = sslCALocation }
        return properties
    }

    /// `brokers=… group=… security=… sasl=user:**** strategy=…`, secrets redacted.
    public func summary(unsetBrokers: String) -> String {
        let sasl = saslUsername.map { "\($0):\(saslPassword == nil ? "" : "****")" } ?? "none"
        return "brokers=\(brokers ?? unsetBrokers) group=\(groupID) security=\(securityProtocol) sasl=\(sasl) strategy=\(assignmentStrategy)"
    }
}
