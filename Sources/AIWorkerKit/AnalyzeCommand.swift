import Analysis
import Events
import Foundation
import Pipeline

/// `ai-worker analyze`: JSON Lines in, one analysis object per line out, in order. With
/// `LLM_PROVIDER` or `REDIS_URL` configured it runs the daemon's tiers (rules → cache → LLM);
/// besides the documented fields a line may then carry `force_llm`, `skip_cache` (booleans),
/// `tenant_id` and `business_id` (strings: cache namespace and LLM budget; default `analyze`).
public struct AnalyzeRunner: Sendable {
    public let defaults: AnalysisDefaults
    public let engine: RulesEngine
    /// nil → rules only.
    public let tiers: TieredAnalyzer?

    public init(defaults: AnalysisDefaults, engine: RulesEngine = RulesEngine()) {
        self.defaults = defaults
        self.engine = engine
        tiers = nil
    }

    /// The same tiers and configuration as the daemon's `makeProcessor()`.
    public init(app: AIWorkerAssembly) {
        defaults = app.analysisDefaults
        engine = RulesEngine()
        tiers = app.makeTieredAnalyzer()
    }

    /// `analyzeLine` through the configured tiers (the rules alone when none are).
    public func analyze(line: some Collection<UInt8>) async -> [UInt8] {
        guard let tiers else { return analyzeLine(line) }
        var writer = JSONWriter(capacity: 1024)
        switch request(from: line) {
        case .failure(let message):
            writer.beginObject()
            writer.key("error"); writer.string(message.message)
            writer.endObject()
        case .success(let (text, context)):
            let object = (try? JSONParser.parse(line))?.objectValue
            func flag(_ name: String) -> Bool { if case .bool(true)? = object?[name] { true } else { false } }
            let business = object?["business_id"]?.stringValue ?? "analyze"
            let options = TieredAnalyzer.Options(
                tenant: object?["tenant_id"]?.stringValue ?? business, businessID: business, forceLLM: flag("force_llm"), skipCache: flag("skip_cache")
            )
            await tiers.analyze(text: text, context: context, options: options).analysis.write(to: &writer)
        }
        return writer.bytes
    }

    /// Analyzes one input line; a line that is not a valid request yields `{"error": "…"}`.
    public func analyzeLine<S: Collection<UInt8>>(_ line: S) -> [UInt8] {
        var writer = JSONWriter(capacity: 1024)
        switch request(from: line) {
        case .failure(let message):
            writer.beginObject()
            writer.key("error"); writer.string(message.message)
            writer.endObject()
        case .success(let (text, context)):
            engine.analyze(text, context: context).write(to: &writer)
        }
        return writer.bytes
    }

    struct Failure: Error {
        var message: String
        static func invalid(_ message: String) -> Failure { Failure(message: message) }
    }

    private func request<S: Collection<UInt8>>(from line: S) -> Result<(String, AnalysisContext), Failure> {
        let document: JSONValue
        do { document = try JSONParser.parse(line) } catch { return .failure(.invalid("line is not valid JSON: \(error)")) }
        guard case .object(let object) = document else { return .failure(.invalid("line must be a JSON object")) }
        guard case .string(let text)? = object["text"] else { return .failure(.invalid("field text (string) is required")) }
        var context = AnalysisContext(referenceTime: Date(), timeZone: defaults.timeZone, currency: defaults.currency, country: defaults.country)
        if let raw = object["reference_time"] {
            guard case .string(let value) = raw, let time = Timestamp(rfc3339: value) else {
                return .failure(.invalid("field reference_time must be an RFC 3339 date-time with an offset"))
            }
            context.referenceTime = time.date
            context.timeZone = TimeZone(secondsFromGMT: time.utcOffsetSeconds) ?? defaults.timeZone
        }
        if case .string(let zone)? = object["timezone"], let timeZone = TimeZone(identifier: zone) { context.timeZone = timeZone }
        if case .string(let currency)? = object["currency"], let code = LocaleCodes.currency(currency) { context.currency = code }
        if case .string(let country)? = object["country"], let code = LocaleCodes.country(country) { context.country = code }
        if case .array(let items)? = object["catalog"] { context.catalog = items.compactMap(\.stringValue) }
        return .success((text, context))
    }
}
