import Analysis
import Events
import Foundation

/// A failure reading the labelled evaluation set.
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable { case unreadableFile = "unreadable_file", invalidLine = "invalid_line", invalidField = "invalid_field" }
    public let code: Code
    public let line: Int
    public let detail: String
    public var description: String { "evaluation set \(code.rawValue) at line \(line): \(detail)" }
}

/// One labelled message of the evaluation set (JSON Lines).
public struct LabelledExample: Sendable {
    public var id: String
    public var text: String
    public var context: AnalysisContext
    public var intent: Intent
    public var phones: [String]
    public var emails: [String]
    public var prices: [(amount: Double, currency: String)]
    public var quantities: [(value: Double, product: String?)]
    public var dates: [(value: String, grain: String)]
    public var orderIDs: [String]
    public var urls: [String]
}

public enum EvaluationSet {
    public static let defaultPath = "Fixtures/analysis/eval.jsonl"
    /// The dev split of the ml tier's corpus: `{"text", "intent", …}` lines, no entities.
    public static let devSplitDirectory = "Fixtures/analysis/dev"

    /// The `.jsonl` files of `directory`, sorted.
    public static func files(in directory: String) throws -> [URL] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw EvaluationError(code: .unreadableFile, line: 0, detail: directory)
        }
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { URL(fileURLWithPath: directory).appendingPathComponent($0) }
    }

    /// Every example of `files`, in order.
    public static func load(_ files: [URL]) throws -> [LabelledExample] {
        try files.flatMap { try load(fileURL: $0) }
    }

    public static func load(fileURL: URL) throws -> [LabelledExample] {
        let data: Data
        do { data = try Data(contentsOf: fileURL) } catch {
            throw EvaluationError(code: .unreadableFile, line: 0, detail: fileURL.path)
        }
        var out: [LabelledExample] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let value: JSONValue
            do { value = try JSONParser.parse(line) } catch {
                throw EvaluationError(code: .invalidLine, line: lineNumber, detail: error.description)
            }
            out.append(try example(value, line: lineNumber))
        }
        return out
    }

    static func example(_ v: JSONValue, line: Int) throws -> LabelledExample {
        guard let text = v["text"]?.stringValue else { throw EvaluationError(code: .invalidField, line: line, detail: "text") }
        guard let label = v["intent"]?.stringValue, let intent = Intent(rawValue: label) else {
            throw EvaluationError(code: .invalidField, line: line, detail: "intent")
        }
        let context = try Self.context(v, line: line)
        let entities = v["entities"]?.objectValue ?? JSONObject()
        func strings(_ key: String) -> [String] {
            guard case .array(let items)? = entities[key] else { return [] }
            return items.compactMap(\.stringValue)
        }
        func objects(_ key: String) -> [JSONObject] {
            guard case .array(let items)? = entities[key] else { return [] }
            return items.compactMap(\.objectValue)
        }
        func number(_ v: JSONValue?) -> Double? {
            switch v {
            case .number(let d)?: return d
            case .string(let s)?: return Double(s)
            default: return nil
            }
        }
        let prices = objects("prices").compactMap { o -> (Double, String)? in
            guard let a = number(o["amount"]) else { return nil }
            return (a, o["currency"]?.stringValue ?? context.currency)
        }
        let quantities = objects("quantities").compactMap { o -> (Double, String?)? in
            guard let a = number(o["value"]) else { return nil }
            return (a, o["product"]?.stringValue)
        }
        let dates = objects("dates").compactMap { o -> (String, String)? in
            guard let value = o["value"]?.stringValue else { return nil }
            return (value, o["grain"]?.stringValue ?? "")
        }
        return LabelledExample(
            id: v["id"]?.stringValue ?? "line-\(line)", text: text, context: context, intent: intent,
            phones: strings("phones"), emails: strings("emails"), prices: prices, quantities: quantities, dates: dates,
            orderIDs: strings("order_ids"), urls: strings("urls")
        )
    }

    /// Context from `reference_time`, `timezone`, `currency`, `country`, `catalog`.
    public static func context(_ v: JSONValue, line: Int) throws -> AnalysisContext {
        var reference = Date(timeIntervalSince1970: 1_761_368_400) // 2025-10-25T05:00:00Z
        var zone = TimeZone(identifier: "Asia/Kolkata") ?? TimeZone(secondsFromGMT: 19_800)!
        var offsetZone: TimeZone?
        if let text = v["reference_time"]?.stringValue {
            guard let time = Timestamp(rfc3339: text) else {
                throw EvaluationError(code: .invalidField, line: line, detail: "reference_time")
            }
            reference = time.date
            offsetZone = TimeZone(secondsFromGMT: time.utcOffsetSeconds)
        }
        if let id = v["timezone"]?.stringValue {
            guard let z = TimeZone(identifier: id) else { throw EvaluationError(code: .invalidField, line: line, detail: "timezone") }
            zone = z
        } else if let z = offsetZone {
            zone = z
        }
        var catalog: [String] = []
        if case .array(let items)? = v["catalog"] { catalog = items.compactMap(\.stringValue) }
        return AnalysisContext(
            referenceTime: reference, timeZone: zone, currency: v["currency"]?.stringValue ?? "INR",
            country: v["country"]?.stringValue ?? "IN", catalog: catalog
        )
    }
}
