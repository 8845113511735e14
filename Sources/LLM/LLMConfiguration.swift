import Events
import Foundation

public enum LLMProvider: String, Sendable, CaseIterable {
    /// Any OpenAI-compatible chat-completions endpoint (OpenAI, Azure, Ollama, vLLM, llama.cpp…).
    case openai
    /// Anthropic's messages API.
    case anthropic

    public var defaultBaseURL: String {
        switch self {
        case .openai: "https://api.openai.com/v1"
        case .anthropic: "https://api.anthropic.com"
        }
    }

    public var defaultModel: String {
        switch self {
        case .openai: "gpt-4o-mini"
        case .anthropic: "claude-3-5-haiku-latest"
        }
    }

    public var defaultComplexModel: String {
        switch self {
        case .openai: "gpt-4o"
        case .anthropic: "claude-sonnet-4-0"
        }
    }
}

/// How an OpenAI-compatible endpoint is asked for JSON.
public enum LLMResponseFormat: String, Sendable, CaseIterable {
    /// `response_format: {type: json_schema, strict: true}` (OpenAI, vLLM, recent Ollama and llama.cpp).
    case jsonSchema = "json_schema"
    /// `response_format: {type: json_object}` (older compatible servers).
    case jsonObject = "json_object"
    /// No `response_format`: the instructions alone ask for JSON.
    case prompt
}

/// USD per million tokens.
public struct ModelPrice: Sendable, Equatable {
    public var input: Double
    public var output: Double
    public init(input: Double, output: Double) {
        self.input = input
        self.output = output
    }

    public func cost(inputTokens: Int, outputTokens: Int) -> Double {
        (Double(inputTokens) * input + Double(outputTokens) * output) / 1_000_000
    }
}

/// Prices per model. A model is looked up exactly, then by the longest known prefix
/// (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`); an unknown model costs `fallback`, deliberately
/// not zero, so that the daily budget still holds.
public struct PriceTable: Sendable {
    public var prices: [String: ModelPrice]
    public var fallback: ModelPrice

    public static let defaults: [String: ModelPrice] = [
        "gpt-4o-mini": ModelPrice(input: 0.15, output: 0.60),
        "gpt-4o": ModelPrice(input: 2.50, output: 10.00),
        "gpt-4.1-nano": ModelPrice(input: 0.10, output: 0.40),
        "gpt-4.1-mini": ModelPrice(input: 0.40, output: 1.60),
        "gpt-4.1": ModelPrice(input: 2.00, output: 8.00),
        "claude-3-5-haiku": ModelPrice(input: 0.80, output: 4.00),
        "claude-3-haiku": ModelPrice(input: 0.25, output: 1.25),
        "claude-sonnet-4": ModelPrice(input: 3.00, output: 15.00),
        "claude-3-5-sonnet": ModelPrice(input: 3.00, output: 15.00),
        "claude-3-7-sonnet": ModelPrice(input: 3.00, output: 15.00),
    ]

    public init(prices: [String: ModelPrice] = PriceTable.defaults, fallback: ModelPrice = ModelPrice(input: 2.50, output: 10.00)) {
        self.prices = prices
        self.fallback = fallback
    }

    public func price(for model: String) -> ModelPrice {
        if let exact = prices[model] { return exact }
        let prefix = prices.keys.filter { model.hasPrefix($0) }.max { $0.count < $1.count }
        return prefix.flatMap { prices[$0] } ?? fallback
    }

    /// Parses `model=input/output,model=input/output` (USD per million tokens); `*` sets the
    /// fallback. Entries are added to (and override) the defaults. nil when malformed.
    public static func parse(_ list: String) -> PriceTable? {
        var table = PriceTable()
        for entry in list.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            let model = parts[0].trimmingCharacters(in: .whitespaces)
            let numbers = parts[1].split(separator: "/")
            guard !model.isEmpty, numbers.count == 2,
                let input = Double(numbers[0].trimmingCharacters(in: .whitespaces)),
                let output = Double(numbers[1].trimmingCharacters(in: .whitespaces)),
                input >= 0, output >= 0, input.isFinite, output.isFinite
            else { return nil }
            let price = ModelPrice(input: input, output: output)
            if model == "*" { table.fallback = price } else { table.prices[model] = price }
        }
        return table
    }
}

/// Everything the LLM tier needs; `apiKey` is never printed.
public struct LLMConfiguration: Sendable, CustomStringConvertible {
    public var provider: LLMProvider
    /// OpenAI-compatible: up to and including `/v1` (`{base}/chat/completions` is called).
    /// Anthropic: the host (`{base}/v1/messages` is called).
    public var baseURL: String
    public var apiKey: String?
    public var model: String
    /// For long or multi-question messages (see `route`).
    public var complexModel: String
    public var responseFormat = LLMResponseFormat.jsonSchema
    /// Per attempt.
    public var timeout: Duration = .seconds(15)
    public var connectTimeout: Duration = .seconds(3)
    /// Attempts after the first, on 429, 5xx, timeouts and connection errors.
    public var maxRetries = 2
    public var backoffBase: Duration = .milliseconds(250)
    public var backoffCap: Duration = .seconds(4)
    /// The whole call, retries and waits included; a `Retry-After` beyond it ends the call.
    public var deadline: Duration = .seconds(30)
    /// Consecutive failed attempts that open the breaker.
    public var breakerFailureThreshold = 5
    /// How long the breaker stays open before one probe is let through.
    public var breakerCooldown: Duration = .seconds(30)
    /// USD per business per UTC day; nil = no limit.
    public var dailyBudgetUSD: Double? = 10
    public var prices = PriceTable()
    public var maxOutputTokens = 700
    /// Messages at least this long go to `complexModel`.
    public var complexMinCharacters = 280
    /// LLM confidences are capped here: self-reported confidence is not calibrated.
    public var maxConfidence = 0.9

    public init(provider: LLMProvider, baseURL: String? = nil, apiKey: String? = nil, model: String? = nil, complexModel: String? = nil) {
        self.provider = provider
        var base = baseURL ?? provider.defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
        self.apiKey = apiKey
        self.model = model ?? provider.defaultModel
        self.complexModel = complexModel ?? model ?? provider.defaultComplexModel
    }

    /// The routing rule: a message of `complexMinCharacters` or more, or with two or more
    /// questions (`?`), goes to the complex model; everything else to the cheap one.
    public func route(text: String) -> String {
        let questions = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "?") ? 1 : 0) }
        return text.count >= complexMinCharacters || questions >= 2 ? complexModel : model
    }

    public var endpoint: String {
        switch provider {
        case .openai: baseURL + "/chat/completions"
        case .anthropic: baseURL + "/v1/messages"
        }
    }

    public var description: String {
        "provider=\(provider.rawValue) base_url=\(baseURL) api_key=\(apiKey == nil ? "none" : "****") model=\(model) "
            + "complex_model=\(complexModel) format=\(responseFormat.rawValue) timeout_ms=\(timeout.wholeMilliseconds) "
            + "retries=\(maxRetries) budget_usd=\(dailyBudgetUSD.map { String($0) } ?? "unlimited")"
    }
}
