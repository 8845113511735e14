/// JSON forms of the analysis vocabulary, exactly as `ai.process.result` carries them.
extension IntentResult: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("intent"); writer.string(intent.rawValue)
        writer.key("confidence"); writer.number(confidence, fractionDigits: 3)
        writer.key("tier"); writer.string(tier.rawValue)
        writer.key("alternatives")
        writer.beginArray()
        for alternative in alternatives {
            writer.beginObject()
            writer.key("intent"); writer.string(alternative.intent.rawValue)
            writer.key("confidence"); writer.number(alternative.confidence, fractionDigits: 3)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }
}

extension Entities: JSONWritable {
    /// Writes the bounded form (see `EntityBounds`): every output fits the producer's limit.
    public func write(to writer: inout JSONWriter) {
        guard isBounded else {
            bounded().write(to: &writer)
            return
        }
        writer.beginObject()
        writer.key("products"); writer.stringArray(products)
        writer.key("quantities"); writer.beginArray()
        for quantity in quantities {
            writer.beginObject()
            writer.key("value"); writer.number(quantity.value)
            writer.key("unit"); writer.string(quantity.unit)
            writer.key("product"); writer.string(quantity.product)
            writer.endObject()
        }
        writer.endArray()
        writer.key("prices"); writer.beginArray()
        for price in prices {
            writer.beginObject()
            writer.key("amount"); writer.number(price.amount, fractionDigits: 2)
            writer.key("currency"); writer.string(price.currency)
            writer.key("text"); writer.string(price.text)
            writer.key("bound"); writer.string(price.bound.rawValue)
            writer.endObject()
        }
        writer.endArray()
        writer.key("emails"); writer.stringArray(emails)
        writer.key("phones"); writer.stringArray(phones)
        writer.key("dates"); writer.beginArray()
        for date in dates {
            writer.beginObject()
            writer.key("value"); writer.string(date.value)
            writer.key("grain"); writer.string(date.grain.rawValue)
            writer.key("text"); writer.string(date.text)
            writer.endObject()
        }
        writer.endArray()
        writer.key("order_ids"); writer.stringArray(orderIDs)
        writer.key("urls"); writer.stringArray(urls)
        writer.endObject()
    }
}

extension Analysis {
    /// Writes the analysis members (`intent` … `suggested_response`) into an open object.
    public func writeMembers(to writer: inout JSONWriter) {
        writer.key("intent"); intent.write(to: &writer)
        writer.key("entities"); entities.write(to: &writer)
        writer.key("lead_score"); writer.int(leadScore)
        writer.key("lead_quality"); writer.string(leadQuality.rawValue)
        writer.key("sentiment"); writer.string(sentiment.rawValue)
        writer.key("language"); writer.string(language)
        writer.key("suggested_actions"); writer.stringArray(suggestedActions.map(\.rawValue))
        writer.key("suggested_response"); writer.string(suggestedResponse)
    }
}

extension Analysis: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writeMembers(to: &writer)
        writer.endObject()
    }
}
