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
            guard let (date, offset) = RFC3339.parse(text) else {
                throw EvaluationError(code: .invalidField, line: line, detail: "reference_time")
            }
            reference = date
            offsetZone = TimeZone(secondsFromGMT: offset)
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

/// Minimal RFC 3339 reader: `2025-10-25T10:30:00+05:30`, fractional seconds, `Z`.
public enum RFC3339 {
    public static func parse(_ s: String) -> (Date, Int)? {
        let b = Array(s.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for k in from..<(from + len) {
                let c = b[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 19, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
            let se = num(17, 2), b[4] == 45, b[7] == 45, b[10] == 84 || b[10] == 116 || b[10] == 32, b[13] == 58, b[16] == 58 else { return nil }
        var k = 19
        var fraction = 0.0
        if k < b.count, b[k] == 46 {
            k += 1
            var scale = 0.1
            while k < b.count, b[k] >= 48, b[k] <= 57 { fraction += Double(b[k] - 48) * scale; scale /= 10; k += 1 }
        }
        var offset = 0
        if k < b.count, b[k] == 90 || b[k] == 122 { k += 1 } else if k < b.count, b[k] == 43 || b[k] == 45 {
            guard let oh = num(k + 1, 2), let om = num(k + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[k] == 45 ? -1 : 1)
            k += 6
        } else { return nil }
        guard k == b.count else { return nil }
        // days from civil
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * ((mo + 9) % 12) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = Double(days * 86_400 + h * 3600 + mi * 60 + se - offset) + fraction
        return (Date(timeIntervalSince1970: seconds), offset)
    }
}
