import Foundation
import Kafka

/// The environment merged with flag overrides (flags win), read as typed values. Every reader
/// throws a `ConfigError` naming the variable, the value and the expected form; an empty or
/// blank value counts as unset.
public struct ConfigReader: Sendable {
    public let source: [String: String]

    public init(environment: [String: String], overrides: [String: String] = [:]) {
        source = environment.merging(overrides) { $1 }
    }

    /// The trimmed value, nil when unset or blank.
    public func value(_ name: String) -> String? {
        guard let raw = source[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
        return raw
    }

    public func integer(_ name: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
        guard let raw = value(name) else { return nil }
        guard let number = Int(raw), range.contains(number) else {
            throw ConfigError(variable: name, value: raw, expected: "an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    public func decimal(_ name: String, _ range: ClosedRange<Double>) throws(ConfigError) -> Double? {
        guard let raw = value(name) else { return nil }
        guard let number = Double(raw), number.isFinite, range.contains(number) else {
            throw ConfigError(variable: name, value: raw, expected: "a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    /// One of `options`, compared case-insensitively; returned lower-cased.
    public func choice(_ name: String, _ options: [String]) throws(ConfigError) -> String? {
        guard let raw = value(name) else { return nil }
        guard options.contains(raw.lowercased()) else {
            throw ConfigError(variable: name, value: raw, expected: "one of \(options.joined(separator: ", "))")
        }
        return raw.lowercased()
    }

    /// librdkafka properties written `key=value,key=value`.
    public func kafkaProperties(_ name: String) throws(ConfigError) -> KafkaProperties {
        guard let raw = value(name) else { return KafkaProperties() }
        guard let parsed = KafkaProperties.parse(list: raw) else {
            throw ConfigError(variable: name, value: raw, expected: "librdkafka properties as key=value,key=value")
        }
        return parsed
    }

    /// `scheme://user:secret@host…` → `scheme://****@host…`, for descriptions and errors.
    public static func redactingPassword(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
        return String(url[..<scheme.upperBound]) + "****" + String(url[at...])
    }
}
