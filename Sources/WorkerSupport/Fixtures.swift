import Events
import Foundation
import Kafka

/// One record of `Fixtures/topics/<topic>.jsonl`: `id`, `key` (string or null), and one of
/// `value` (JSON, serialized compactly), `value_raw` (UTF-8 text verbatim), `value_base64`
/// (bytes) or `value_null: true` (tombstone); optional `headers` and
/// `fill: {"path": "payload.message_text", "bytes": N}` (that string becomes N × "x").
public struct FixtureRecord: Sendable {
    public var id: String
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [KafkaHeader]

    public init(id: String, topic: String, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = []) {
        self.id = id
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}

public struct FixtureError: Error, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String
    public var description: String { "\(file):\(line): \(message)" }
}

public enum Fixtures {
    /// Loads every `topics/*.jsonl` file of `directory`, in file-name then line order.
    public static func loadTopics(directory: String) throws -> [FixtureRecord] {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("topics")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        var records: [FixtureRecord] = []
        for file in files {
            let topic = String(file.dropLast(".jsonl".count))
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                switch Result(catching: { () throws(LineError) in try parse(String(line), topic: topic) }) {
                case .success(let record): records.append(record)
                case .failure(let error): throw FixtureError(file: file, line: index + 1, message: error.message)
                }
            }
        }
        return records
    }

    static func parse(_ line: String, topic: String) throws(LineError) -> FixtureRecord {
        let document: JSONValue
        do { document = try JSONParser.parse(line) } catch { throw LineError("not JSON: \(error)") }
        guard case .object(let object) = document else { throw LineError("a fixture line must be an object") }
        guard let id = object["id"]?.stringValue else { throw LineError("missing id") }
        var key: [UInt8]?
        switch object["key"] {
        case .string(let text): key = Array(text.utf8)
        case .null, nil: key = nil
        default: throw LineError("key must be a string or null")
        }
        var value: [UInt8]?
        if case .object(let fill)? = object["fill"], case .string(let path)? = fill["path"], case .number(let bytes)? = fill["bytes"], var root = object["value"] {
            root = try filled(root, path: path.split(separator: ".").map(String.init), bytes: Int(bytes))
            value = writeJSON(root)
        } else if let raw = object["value"] {
            value = writeJSON(raw)
        } else if case .string(let raw)? = object["value_raw"] {
            value = Array(raw.utf8)
        } else if case .string(let encoded)? = object["value_base64"] {
            guard let data = Data(base64Encoded: encoded) else { throw LineError("value_base64 is not base64") }
            value = Array(data)
        } else if object["value_null"] == .bool(true) {
            value = nil
        } else {
            throw LineError("one of value, value_raw, value_base64, value_null is required")
        }
        var headers: [KafkaHeader] = []
        if case .object(let map)? = object["headers"] {
            for member in map.members {
                guard case .string(let text) = member.value else { throw LineError("header values must be strings") }
                headers.append(KafkaHeader(name: member.key, string: text))
            }
        }
        return FixtureRecord(id: id, topic: topic, key: key, value: value, headers: headers)
    }

    public static func writeJSON(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value)
        return writer.bytes
    }

    static func filled(_ value: JSONValue, path: [String], bytes: Int) throws(LineError) -> JSONValue {
        guard let first = path.first else { return .string(String(repeating: "x", count: bytes)) }
        guard case .object(var object) = value, let inner = object[first] else { throw LineError("fill path not found") }
        object[first] = try filled(inner, path: Array(path.dropFirst()), bytes: bytes)
        return .object(object)
    }
}

struct LineError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
