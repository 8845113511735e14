import Analysis
import Events

/// Reads back an `Analysis` written by its `JSONWritable` form (the cache's value for the local
/// tiers). Any shape or vocabulary mismatch gives nil (the entry is then treated as a miss).
public enum AnalysisCodec {
    public static func encode(_ analysis: Analysis) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        analysis.write(to: &writer)
        return writer.bytes
    }

    public static func decode(_ bytes: [UInt8]) -> Analysis? {
        guard let document = try? JSONParser.parse(bytes), case .object(let root) = document else { return nil }
        guard case .object(let intentObject)? = root["intent"], case .string(let label)? = intentObject["intent"],
            let intent = Intent(rawValue: label), let confidence = number(intentObject["confidence"]),
            case .string(let tierName)? = intentObject["tier"], let tier = Tier(rawValue: tierName),
            case .array(let alternativeItems)? = intentObject["alternatives"]
        else { return nil }
        var alternatives: [IntentAlternative] = []
        for item in alternativeItems {
            guard case .string(let name)? = item["intent"], let alternative = Intent(rawValue: name), let value = number(item["confidence"]) else { return nil }
            alternatives.append(IntentAlternative(intent: alternative, confidence: value))
        }
        guard case .object(let entityObject)? = root["entities"], let entities = decodeEntities(entityObject),
            let score = number(root["lead_score"]), case .string(let qualityName)? = root["lead_quality"],
            let quality = LeadQuality(rawValue: qualityName), case .string(let sentimentName)? = root["sentiment"],
            let sentiment = Sentiment(rawValue: sentimentName), case .string(let language)? = root["language"],
            let actionNames = strings(root["suggested_actions"]), case .string(let response)? = root["suggested_response"]
        else { return nil }
        var actions: [SuggestedAction] = []
        for name in actionNames {
            guard let action = SuggestedAction(rawValue: name) else { return nil }
            actions.append(action)
        }
        return Analysis(
            intent: IntentResult(intent: intent, confidence: confidence, tier: tier, alternatives: alternatives), entities: entities,
            leadScore: Int(score), leadQuality: quality, sentiment: sentiment, language: language, suggestedActions: actions,
            suggestedResponse: response
        )
    }

    static func decodeEntities(_ object: JSONObject) -> Entities? {
        var entities = Entities()
        guard let products = strings(object["products"]), let emails = strings(object["emails"]), let phones = strings(object["phones"]),
            let orderIDs = strings(object["order_ids"]), let urls = strings(object["urls"]),
            case .array(let quantities)? = object["quantities"], case .array(let prices)? = object["prices"], case .array(let dates)? = object["dates"]
        else { return nil }
        entities.products = products
        entities.emails = emails
        entities.phones = phones
        entities.orderIDs = orderIDs
        entities.urls = urls
        for item in quantities {
            guard let value = number(item["value"]), let unit = optionalString(item["unit"]), let product = optionalString(item["product"]) else { return nil }
            entities.quantities.append(Quantity(value: value, unit: unit, product: product))
        }
        for item in prices {
            guard let amount = number(item["amount"]), case .string(let currency)? = item["currency"], case .string(let text)? = item["text"] else { return nil }
            var bound = PriceBound.exact
            if case .string(let name)? = item["bound"] {
                guard let parsed = PriceBound(rawValue: name) else { return nil }
                bound = parsed
            }
            entities.prices.append(Price(amount: amount, currency: currency, text: text, bound: bound))
        }
        for item in dates {
            guard case .string(let value)? = item["value"], case .string(let grainName)? = item["grain"], let grain = DateGrain(rawValue: grainName),
                case .string(let text)? = item["text"]
            else { return nil }
            entities.dates.append(DateMention(value: value, grain: grain, text: text))
        }
        return entities
    }

    static func number(_ value: JSONValue?) -> Double? {
        if case .number(let number)? = value, number.isFinite { return number }
        return nil
    }

    static func strings(_ value: JSONValue?) -> [String]? {
        guard case .array(let items)? = value else { return nil }
        var result: [String] = []
        for item in items {
            guard case .string(let text) = item else { return nil }
            result.append(text)
        }
        return result
    }

    /// `.some(nil)` for JSON null, nil for a wrong type.
    static func optionalString(_ value: JSONValue?) -> String?? {
        switch value {
        case .string(let text)?: .some(text)
        case .null?, nil: .some(nil)
        default: nil
        }
    }
}
