import Events

/// One provider's wire format: the request body and headers, and where the text and the token
/// counts are in the response.
struct ProviderWire: Sendable {
    let configuration: LLMConfiguration

    struct Turn {
        enum Role: String { case user, assistant }
        var role: Role
        var text: String
    }

    /// `trace` supplies the W3C headers continued from the event being processed.
    func request(model: String, turns: [Turn], timeout: Duration, trace: (traceparent: String?, tracestate: String?) = (nil, nil)) -> HTTPRequest {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json"), ("Accept", "application/json")]
        var writer = JSONWriter(capacity: 8192)
        writer.beginObject()
        writer.key("model"); writer.string(model)
        writer.key("temperature"); writer.int(0)
        writer.key("max_tokens"); writer.int(configuration.maxOutputTokens)
        switch configuration.provider {
        case .openai:
            if let key = configuration.apiKey { headers.append(("Authorization", "Bearer \(key)")) }
            writer.key("messages"); writer.beginArray()
            writer.beginObject(); writer.key("role"); writer.string("system"); writer.key("content"); writer.string(Prompt.system); writer.endObject()
            for turn in turns {
                writer.beginObject(); writer.key("role"); writer.string(turn.role.rawValue); writer.key("content"); writer.string(turn.text); writer.endObject()
            }
            writer.endArray()
            switch configuration.responseFormat {
            case .jsonSchema:
                writer.key("response_format"); writer.beginObject()
                writer.key("type"); writer.string("json_schema")
                writer.key("json_schema"); writer.beginObject()
                writer.key("name"); writer.string("lead_analysis")
                writer.key("strict"); writer.bool(true)
                writer.key("schema"); writer.value(Self.schema)
                writer.endObject()
                writer.endObject()
            case .jsonObject:
                writer.key("response_format"); writer.beginObject(); writer.key("type"); writer.string("json_object"); writer.endObject()
            case .prompt:
                break
            }
        case .anthropic:
            if let key = configuration.apiKey { headers.append(("x-api-key", key)) }
            headers.append(("anthropic-version", "2023-06-01"))
            writer.key("system"); writer.string(Prompt.system)
            writer.key("messages"); writer.beginArray()
            for turn in turns {
                writer.beginObject(); writer.key("role"); writer.string(turn.role.rawValue); writer.key("content"); writer.string(turn.text); writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
        if let traceparent = trace.traceparent { headers.append(("traceparent", traceparent)) }
        if let tracestate = trace.tracestate { headers.append(("tracestate", tracestate)) }
        return HTTPRequest(
            url: configuration.endpoint, headers: headers, body: writer.bytes, timeout: timeout, connectTimeout: configuration.connectTimeout
        )
    }

    static let schema: JSONValue = (try? JSONParser.parse(Prompt.jsonSchema)) ?? .null

    struct Reply {
        var text: String
        var inputTokens: Int
        var outputTokens: Int
    }

    /// The model's text and usage from a 2xx body; nil when the envelope is not the provider's.
    func reply(from body: [UInt8]) -> Reply? {
        guard let document = try? JSONParser.parse(body), case .object(let root) = document else { return nil }
        func int(_ value: JSONValue?) -> Int {
            if case .number(let number)? = value, number.isFinite, number >= 0, number < 1e9 { return Int(number) }
            return 0
        }
        switch configuration.provider {
        case .openai:
            guard case .array(let choices)? = root["choices"], let first = choices.first,
                case .string(let text)? = first["message"]?["content"]
            else { return nil }
            let usage = root["usage"]
            return Reply(text: text, inputTokens: int(usage?["prompt_tokens"]), outputTokens: int(usage?["completion_tokens"]))
        case .anthropic:
            guard case .array(let blocks)? = root["content"] else { return nil }
            let text = blocks.compactMap { block -> String? in
                guard block["type"]?.stringValue == "text" else { return nil }
                return block["text"]?.stringValue
            }.joined()
            let usage = root["usage"]
            return Reply(text: text, inputTokens: int(usage?["input_tokens"]), outputTokens: int(usage?["output_tokens"]))
        }
    }
}
