import CRdKafka

/// librdkafka properties, applied in insertion order (later wins).
public struct KafkaProperties: Sendable, Equatable {
    public private(set) var entries: [(key: String, value: String)] = []

    public init(_ entries: [String: String] = [:]) {
        for key in entries.keys.sorted() { self[key] = entries[key] }
    }

    public subscript(key: String) -> String? {
        get { entries.last(where: { $0.key == key })?.value }
        set {
            entries.removeAll { $0.key == key }
            if let newValue { entries.append((key, newValue)) }
        }
    }

    public mutating func merge(_ other: KafkaProperties) {
        for entry in other.entries { self[entry.key] = entry.value }
    }

    /// Parses `k=v,k=v` (the form of `KAFKA_CONSUMER_CONFIG`); `nil` when malformed.
    public static func parse(list: String) -> KafkaProperties? {
        var properties = KafkaProperties()
        for item in list.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let key = parts[0].trimmingSpaces
            guard !key.isEmpty else { return nil }
            properties[key] = parts[1].trimmingSpaces
        }
        return properties
    }

    public static func == (lhs: KafkaProperties, rhs: KafkaProperties) -> Bool {
        lhs.entries.map(\.key) == rhs.entries.map(\.key) && lhs.entries.map(\.value) == rhs.entries.map(\.value)
    }

    /// Builds an `rd_kafka_conf_t`; the caller owns it until it is handed to `rd_kafka_new`.
    func makeConf() throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else { throw .configuration("rd_kafka_conf_new failed") }
        var errorText = [CChar](repeating: 0, count: 512)
        for entry in entries {
            let result = rd_kafka_conf_set(conf, entry.key, entry.value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let text = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw .configuration("librdkafka property \(entry.key): \(text)")
            }
        }
        return conf
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
