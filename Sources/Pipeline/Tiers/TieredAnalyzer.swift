import Analysis
import Cache
import Events
import Foundation
import IntentTier
import LLM
import Logging

/// The tier stack: rules first (from the cache when it has them), then the ml tier when it is
/// configured and the rules are below its confident threshold (the sentence encoder's intent
/// head combined with the rules' distribution, tier `ml`; see `IntentCombiner`), then the LLM
/// when the result is still unsure, with its answers cached too.
///
/// The LLM runs for an event with non-blank text when any of these holds:
/// - the request sets `force_llm`;
/// - the local intent's confidence (the ml tier's combined one when it ran) is below
///   `confidenceThreshold`;
/// - the event asks for a `response` and the local intent is `UNKNOWN` (the templates only have
///   a generic "tell me more" reply for it).
///
/// Cache (when one is given): kind `local` holds the rules analysis, keyed by the exact text and
/// the whole analysis context (reference time included, since dates resolve against it); kind
/// `llm` holds the validated LLM answer, keyed by the normalized text, the history, the catalog,
/// whether a reply is wanted, and the provider and model. `skip_cache` skips the reads (fresh
/// results are still written). The LLM answer is merged into the fresh local analysis: intent
/// (tier `llm`, the local intent becomes an alternative), sentiment, lead score and quality,
/// actions, reply; entity kinds the rules found nothing for are taken from the answer.
///
/// `degraded` is true exactly when the LLM should have run and gave no answer (breaker open,
/// budget spent, errors after retries, invalid answer after its repair, cancellation); the
/// result is then the local one. Nothing here throws.
public struct TieredAnalyzer: EventAnalyzer {
    /// Bump when the analysis changes shape or meaning: old cache entries are then ignored.
    public static let pipelineVersion = 1
    public static let cacheKinds = ["local", "llm"]

    public let rules: RulesAnalyzer
    public let cache: ResultCache?
    public let llm: LLMClient?
    public let ml: MLIntentTier?
    public let confidenceThreshold: Double
    private let logger: Logger

    public init(
        rules: RulesAnalyzer, cache: ResultCache?, llm: LLMClient?, ml: MLIntentTier? = nil, confidenceThreshold: Double = 0.75,
        logger: Logger = Logger(label: "ai-worker.tiers")
    ) {
        self.rules = rules
        self.cache = cache
        self.llm = llm
        self.ml = ml
        self.confidenceThreshold = confidenceThreshold
        self.logger = logger
    }

    /// What decides the tiers for one message besides its text and context.
    public struct Options: Sendable {
        /// Cache namespace: the tenant id, or the business id when the event names no tenant.
        public var tenant: String
        public var businessID: String
        public var forceLLM = false
        public var skipCache = false
        public var wantsResponse = true
        /// Trace context for the LLM request (`traceparent`, `tracestate` headers).
        public var traceparent: String?
        public var tracestate: String?
        public init(tenant: String, businessID: String, forceLLM: Bool = false, skipCache: Bool = false, wantsResponse: Bool = true) {
            self.tenant = tenant
            self.businessID = businessID
            self.forceLLM = forceLLM
            self.skipCache = skipCache
            self.wantsResponse = wantsResponse
        }
    }

    public func analyze(_ event: InputEvent) async throws -> AnalyzerOutcome {
        var options = Options(
            tenant: event.tenantID ?? event.businessID, businessID: event.businessID, forceLLM: event.forceLLM, skipCache: event.skipCache,
            wantsResponse: event.tasks.contains(.response)
        )
        options.traceparent = event.traceparent
        options.tracestate = event.tracestate
        return await analyze(text: event.text ?? "", context: AnalysisContext(event: event, defaults: rules.defaults), options: options)
    }

    public func analyze(text: String, context: AnalysisContext, options: Options) async -> AnalyzerOutcome {
        let tenant = options.tenant
        let localKey = CacheKey(tenant: tenant, version: Self.pipelineVersion, kind: "local", material: Self.localMaterial(text, context))
        var request = LLMRequest(
            text: text, history: context.history, catalog: context.catalog, wantsResponse: options.wantsResponse,
            tenantID: tenant, businessID: options.businessID
        )
        request.traceparent = options.traceparent
        request.tracestate = options.tracestate
        let llmKey = llm.map { client in
            CacheKey(tenant: tenant, version: Self.pipelineVersion, kind: "llm", material: Self.llmMaterial(request, client.configuration))
        }

        var cachedLocal: Analysis?
        var cachedAnswer: [UInt8]?
        if let cache, !options.skipCache {
            let found = await cache.get([localKey] + (llmKey.map { [$0] } ?? []))
            cachedLocal = found.first?.value.flatMap(AnalysisCodec.decode)
            cachedAnswer = found.count > 1 ? found[1].value : nil
        }
        var local: Analysis
        if let cachedLocal {
            local = cachedLocal
        } else {
            local = rules.engine.analyze(text, context: context)
            if let cache { await cache.set(localKey, AnalysisCodec.encode(local)) }
        }
        if let ml, ml.needsHead(local.intent), text.contains(where: { !$0.isWhitespace }) {
            local.intent = await ml.refine(local.intent, text: text, language: local.language)
        }

        guard let llm, let llmKey, needsLLM(text: text, local: local, options: options) else {
            return AnalyzerOutcome(analysis: local, cacheHit: cachedLocal != nil)
        }
        if let cachedAnswer, let answer = LLMAnswer(cached: cachedAnswer, request: request) {
            let usage = LLMUsage(used: false, provider: llm.configuration.provider.rawValue, model: answer.model)
            return AnalyzerOutcome(analysis: Self.merge(local: local, answer: answer), cacheHit: true, llm: usage)
        }
        let result = await llm.analyze(request)
        guard let answer = result.answer else {
            logger.debug("LLM tier unavailable; publishing the local result", metadata: ["error.code": "\(result.error?.code.rawValue ?? "-")"])
            let usage = result.usage.used ? result.usage : LLMUsage()
            return AnalyzerOutcome(analysis: local, cacheHit: cachedLocal != nil, llm: usage, degraded: true)
        }
        if let cache {
            var writer = JSONWriter(capacity: 1024)
            answer.write(to: &writer)
            await cache.set(llmKey, writer.bytes)
        }
        return AnalyzerOutcome(analysis: Self.merge(local: local, answer: answer), cacheHit: cachedLocal != nil, llm: result.usage)
    }

    public func needsLLM(text: String, local: Analysis, options: Options) -> Bool {
        guard text.contains(where: { !$0.isWhitespace }) else { return false }
        return options.forceLLM || local.intent.confidence < confidenceThreshold
            || (options.wantsResponse && local.intent.intent == .unknown)
    }

    static func localMaterial(_ text: String, _ context: AnalysisContext) -> [String] {
        [text, String(context.referenceTime.timeIntervalSince1970), context.timeZone.identifier, context.currency, context.country,
         context.catalog.joined(separator: "\u{1f}"), context.history.map { "\($0.direction.rawValue):\($0.text)" }.joined(separator: "\u{1f}")]
    }

    static func llmMaterial(_ request: LLMRequest, _ configuration: LLMConfiguration) -> [String] {
        [CacheKey.normalize(request.text), request.history.map { "\($0.direction.rawValue):\(CacheKey.normalize($0.text))" }.joined(separator: "\u{1f}"),
         request.catalog.map { $0.lowercased() }.sorted().joined(separator: "\u{1f}"), request.wantsResponse ? "reply" : "no-reply",
         configuration.provider.rawValue, configuration.route(text: request.text)]
    }

    /// The LLM's answer over the local analysis (see the type's documentation).
    public static func merge(local: Analysis, answer: LLMAnswer) -> Analysis {
        var merged = local
        var alternatives: [IntentAlternative] = []
        if local.intent.intent != answer.intent {
            alternatives.append(IntentAlternative(intent: local.intent.intent, confidence: local.intent.confidence))
        }
        for alternative in local.intent.alternatives where alternative.intent != answer.intent && !alternatives.contains(where: { $0.intent == alternative.intent }) {
            alternatives.append(alternative)
        }
        merged.intent = IntentResult(intent: answer.intent, confidence: answer.confidence, tier: .llm, alternatives: Array(alternatives.prefix(3)))
        let found = answer.entities
        if merged.entities.products.isEmpty { merged.entities.products = found.products }
        if merged.entities.quantities.isEmpty { merged.entities.quantities = found.quantities }
        if merged.entities.prices.isEmpty { merged.entities.prices = found.prices }
        if merged.entities.emails.isEmpty { merged.entities.emails = found.emails }
        if merged.entities.phones.isEmpty { merged.entities.phones = found.phones }
        if merged.entities.orderIDs.isEmpty { merged.entities.orderIDs = found.orderIDs }
        if merged.entities.urls.isEmpty { merged.entities.urls = found.urls }
        if let sentiment = answer.sentiment { merged.sentiment = sentiment }
        if let score = answer.leadScore {
            merged.leadScore = score
            merged.leadQuality = LeadQuality(score: score)
        }
        if let actions = answer.suggestedActions, !actions.isEmpty { merged.suggestedActions = actions }
        if let reply = answer.suggestedResponse { merged.suggestedResponse = reply }
        return merged
    }
}

/// Daily LLM spend in Redis (`t:{tenant}:ai:budget:{business}:{day}`, INCRBYFLOAT, expiring
/// after two days), shared by every replica; when Redis fails, an in-process ledger counts
/// (seeded with the last total Redis returned).
public final class RedisSpendLedger: SpendLedger {
    private let redis: RedisClient
    private let memory = InMemorySpendLedger()

    public init(redis: RedisClient) { self.redis = redis }

    static func key(_ tenant: String, _ business: String, _ day: String) -> String {
        CacheKey(tenant: tenant, version: 0, kind: "budget", material: [business, day]).key.replacingOccurrences(of: ":ai:v0:budget:", with: ":ai:budget:")
    }

    public func spent(tenant: String, business: String, day: String) async -> Double {
        do {
            let reply = try await redis.command(["GET", Self.key(tenant, business, day)])
            let total = reply.bytes.flatMap { Double(String(decoding: $0, as: UTF8.self)) } ?? 0
            memory.raise(tenant: tenant, business: business, day: day, to: total)
            return max(total, memory.value(tenant: tenant, business: business, day: day))
        } catch {
            return memory.value(tenant: tenant, business: business, day: day)
        }
    }

    public func add(tenant: String, business: String, day: String, costUSD: Double) async {
        let local = memory.record(tenant: tenant, business: business, day: day, costUSD: costUSD)
        let key = Array(Self.key(tenant, business, day).utf8)
        do {
            let replies = try await redis.pipeline([
                [Array("INCRBYFLOAT".utf8), key, Array(String(costUSD).utf8)],
                [Array("EXPIRE".utf8), key, Array("172800".utf8)],
            ])
            if let bytes = replies.first?.bytes, let total = Double(String(decoding: bytes, as: UTF8.self)) {
                memory.raise(tenant: tenant, business: business, day: day, to: max(total, local))
            }
        } catch {
            // Counted in memory above.
        }
    }
}
