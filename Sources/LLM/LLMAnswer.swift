import Analysis
import Events
import Foundation

/// A validated LLM answer: every label is from the fixed vocabularies, every entity is written
/// in the customer's message, and the reply carries no smuggled instruction or foreign link.
public struct LLMAnswer: Sendable, Equatable {
    public var intent: Intent
    public var confidence: Double
    public var entities: Entities
    public var sentiment: Sentiment?
    public var leadScore: Int?
    public var suggestedActions: [SuggestedAction]?
    public var suggestedResponse: String?
    /// The model that answered.
    public var model: String

    public init(
        intent: Intent, confidence: Double, entities: Entities = Entities(), sentiment: Sentiment? = nil, leadScore: Int? = nil,
        suggestedActions: [SuggestedAction]? = nil, suggestedResponse: String? = nil, model: String
    ) {
        self.intent = intent
        self.confidence = confidence
        self.entities = entities
        self.sentiment = sentiment
        self.leadScore = leadScore
        self.suggestedActions = suggestedActions
        self.suggestedResponse = suggestedResponse
        self.model = model
    }
}

/// Why an answer was refused (safe to log: no customer text).
public struct AnswerRejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

public enum AnswerValidator {
    static let maxResponseCharacters = 600
    /// Phrases that only appear in a reply when the model repeats or obeys an instruction.
    static let injectionMarkers = [
        "ignore previous", "ignore all", "ignore the above", "ignore your", "disregard", "system prompt", "previous instructions",
        "my instructions", "these instructions", "the instructions above",
        "as an ai", "language model", "<data", "</data", "```", "jailbreak", "developer mode", "new rules",
    ]

    /// The first JSON object in a model's text (tolerates code fences and prose around it).
    public static func extractObject(_ text: String) -> Substring? {
        guard let start = text.firstIndex(of: "{"), let end = text.lastIndex(of: "}"), start < end else { return nil }
        return text[start...end]
    }

    public static func validate(text: String, request: LLMRequest, model: String, maxConfidence: Double = 1) -> Result<LLMAnswer, AnswerRejection> {
        guard let object = extractObject(text) else { return .failure(AnswerRejection(reason: "no JSON object")) }
        let document: JSONValue
        do { document = try JSONParser.parse(Array(object.utf8)) } catch { return .failure(AnswerRejection(reason: "malformed JSON: \(error.message)")) }
        return validate(document, request: request, model: model, maxConfidence: maxConfidence)
    }

    public static func validate(_ document: JSONValue, request: LLMRequest, model: String, maxConfidence: Double = 1) -> Result<LLMAnswer, AnswerRejection> {
        func reject(_ reason: String) -> Result<LLMAnswer, AnswerRejection> { .failure(AnswerRejection(reason: reason)) }
        guard case .object(let root) = document else { return reject("the answer is not a JSON object") }
        guard case .string(let label)? = root["intent"] else { return reject("intent must be a string") }
        guard let intent = Intent(rawValue: label) else { return reject("intent is not one of the allowed labels") }
        guard case .number(let confidence)? = root["confidence"], confidence.isFinite, (0...1).contains(confidence) else {
            return reject("confidence must be a number from 0 to 1")
        }
        var answer = LLMAnswer(intent: intent, confidence: min(confidence, maxConfidence), model: model)
        switch root["entities"] {
        case nil, .null?: break
        case .object(let entities)?:
            switch parseEntities(entities, request: request) {
            case .success(let parsed): answer.entities = parsed
            case .failure(let rejection): return .failure(rejection)
            }
        default: return reject("entities must be an object")
        }
        switch root["sentiment"] {
        case nil, .null?: break
        case .string(let value)?:
            guard let sentiment = Sentiment(rawValue: value) else { return reject("sentiment is not positive, neutral or negative") }
            answer.sentiment = sentiment
        default: return reject("sentiment must be a string")
        }
        switch root["lead_score"] {
        case nil, .null?: break
        case .number(let value)?:
            guard value.isFinite, (0...100).contains(value) else { return reject("lead_score must be from 0 to 100") }
            answer.leadScore = Int(value.rounded())
        default: return reject("lead_score must be a number")
        }
        switch root["suggested_actions"] {
        case nil, .null?: break
        case .array(let items)?:
            var actions: [SuggestedAction] = []
            for item in items {
                guard case .string(let name) = item, let action = SuggestedAction(rawValue: name) else {
                    return reject("suggested_actions holds a value outside the allowed list")
                }
                if !actions.contains(action) { actions.append(action) }
            }
            answer.suggestedActions = actions
        default: return reject("suggested_actions must be a list")
        }
        switch root["suggested_response"] {
        case nil, .null?: break
        case .string(let reply)?:
            let trimmed = reply.trimmingCharacters(in: .whitespacesAndNewlines)
            if let problem = replyProblem(trimmed, request: request) { return reject(problem) }
            answer.suggestedResponse = trimmed.isEmpty ? nil : trimmed
        default: return reject("suggested_response must be a string or null")
        }
        return .success(answer)
    }

    /// A reply is refused when it is long, repeats instruction-like text, or carries a link,
    /// email or phone number that the customer did not write.
    static func replyProblem(_ reply: String, request: LLMRequest) -> String? {
        guard reply.count <= maxResponseCharacters else { return "suggested_response is too long" }
        let lower = reply.lowercased()
        let message = request.text.lowercased()
        for marker in injectionMarkers where lower.contains(marker) {
            return "suggested_response repeats instruction-like text"
        }
        for word in lower.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }) {
            let token = word.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?()[]\"'"))
            let looksLikeLink = token.contains("://") || token.hasPrefix("www.") || (token.contains("@") && token.contains("."))
            if looksLikeLink && !message.contains(token) { return "suggested_response holds a link or address the customer did not write" }
        }
        // Phone-like digit runs ("+1 555 0100 999", "98765-43210"), separators allowed.
        let messageDigits = digitString(message)
        var run = ""
        for character in reply + "." {
            if character.isASCII && character.isNumber {
                run.append(character)
            } else if !run.isEmpty && (character == " " || character == "-" || character == "(" || character == ")") {
                continue
            } else {
                if run.count >= 7 && !messageDigits.contains(run) { return "suggested_response holds a number the customer did not write" }
                run = ""
            }
        }
        return nil
    }

    static func digitString(_ text: String) -> String { String(text.filter { $0.isASCII && $0.isNumber }) }

    /// Shapes are checked strictly (a wrong type rejects the answer); items not written in the
    /// message are dropped.
    static func parseEntities(_ object: JSONObject, request: LLMRequest) -> Result<Entities, AnswerRejection> {
        func reject(_ reason: String) -> Result<Entities, AnswerRejection> { .failure(AnswerRejection(reason: reason)) }
        let message = request.text.lowercased()
        let messageDigits = digitString(request.text)
        let catalog = Set(request.catalog.map { $0.lowercased() })
        func grounded(_ value: String) -> Bool {
            let lower = value.lowercased().trimmingCharacters(in: .whitespaces)
            guard !lower.isEmpty, lower.count <= 200 else { return false }
            if message.contains(lower) || catalog.contains(lower) { return true }
            // Plural / singular: "laptop" for "laptops", "boxes" for "box".
            if lower.hasSuffix("s"), message.contains(String(lower.dropLast())) { return true }
            return false
        }
        func strings(_ key: String) -> [String]?? {
            switch object[key] {
            case nil, .null?: return .some([])
            case .array(let items)?:
                var values: [String] = []
                for item in items {
                    guard case .string(let value) = item else { return .some(nil) }
                    values.append(value)
                }
                return .some(values)
            default: return .some(nil)
            }
        }
        var entities = Entities()
        for key in ["products", "emails", "phones", "order_ids", "urls"] {
            guard let values = strings(key) ?? nil else { return reject("entities.\(key) must be a list of strings") }
            switch key {
            case "products": entities.products = unique(values.filter(grounded).map { $0.trimmingCharacters(in: .whitespaces) })
            case "emails": entities.emails = unique(values.map { $0.lowercased() }.filter { $0.contains("@") && message.contains($0) })
            case "phones":
                entities.phones = unique(values.filter { phone in
                    let digits = phone.dropFirst()
                    return phone.hasPrefix("+") && (8...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
                        && messageDigits.contains(String(digits.suffix(8)))
                })
            case "order_ids": entities.orderIDs = unique(values.filter { !$0.isEmpty && $0.count <= 64 && message.contains($0.lowercased()) })
            default: entities.urls = unique(values.filter { !$0.isEmpty && message.contains($0.lowercased()) })
            }
        }
        switch object["quantities"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard case .object(let quantity) = item, case .number(let value)? = quantity["value"] else {
                    return reject("entities.quantities items need a numeric value")
                }
                let unit = quantity["unit"], product = quantity["product"]
                guard unit == nil || unit == .null || unit?.stringValue != nil, product == nil || product == .null || product?.stringValue != nil else {
                    return reject("entities.quantities unit and product must be strings or null")
                }
                guard value.isFinite, value > 0, value <= 1_000_000 else { continue }
                let productName = product?.stringValue.flatMap { grounded($0) ? $0 : nil }
                let unitName = unit?.stringValue.flatMap { $0.count <= 20 && grounded($0) ? $0.lowercased() : nil }
                entities.quantities.append(Quantity(value: value, unit: unitName, product: productName))
            }
        default: return reject("entities.quantities must be a list")
        }
        switch object["prices"] {
        case nil, .null?: break
        case .array(let items)?:
            for item in items {
                guard case .object(let price) = item, case .number(let amount)? = price["amount"],
                    case .string(let currency)? = price["currency"], case .string(let text)? = price["text"]
                else { return reject("entities.prices items need amount, currency and text") }
                let code = currency.uppercased()
                guard amount.isFinite, amount >= 0, code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }), grounded(text) else { continue }
                entities.prices.append(Price(amount: amount, currency: code, text: text))
            }
        default: return reject("entities.prices must be a list")
        }
        return .success(entities)
    }

    static func unique(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }
}

// MARK: cache form

extension LLMAnswer: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("intent"); writer.string(intent.rawValue)
        writer.key("confidence"); writer.number(confidence)
        writer.key("entities"); entities.write(to: &writer)
        writer.key("sentiment"); writer.string(sentiment?.rawValue)
        writer.key("lead_score"); if let leadScore { writer.int(leadScore) } else { writer.null() }
        writer.key("suggested_actions"); if let suggestedActions { writer.stringArray(suggestedActions.map(\.rawValue)) } else { writer.null() }
        writer.key("suggested_response"); writer.string(suggestedResponse)
        writer.key("model"); writer.string(model)
        writer.endObject()
    }

    /// Reads the cache form back, validating it again against `request` (a cache entry is
    /// data from outside the process too).
    public init?(cached bytes: [UInt8], request: LLMRequest) {
        guard let document = try? JSONParser.parse(bytes), case .string(let model)? = document["model"],
            case .success(let answer) = AnswerValidator.validate(document, request: request, model: model)
        else { return nil }
        self = answer
    }
}
