import Analysis
import Events
import Foundation

/// What an analyzer tier stack returns for one event.
public struct AnalyzerOutcome: Sendable {
    public var analysis: Analysis
    public var cacheHit: Bool
    public var llm: LLMUsage
    public var degraded: Bool
    public init(analysis: Analysis, cacheHit: Bool = false, llm: LLMUsage = LLMUsage(), degraded: Bool = false) {
        self.analysis = analysis
        self.cacheHit = cacheHit
        self.llm = llm
        self.degraded = degraded
    }
}

/// Turns a validated event into its analysis. The rules tier is one; cache and LLM tiers wrap it.
public protocol EventAnalyzer: Sendable {
    func analyze(_ event: InputEvent) async throws -> AnalyzerOutcome
}

/// Locale defaults from configuration, used when an event's metadata names none.
public struct AnalysisDefaults: Sendable {
    public var timeZone: TimeZone
    public var currency: String
    public var country: String
    public init(timeZone: TimeZone, currency: String, country: String) {
        self.timeZone = timeZone
        self.currency = currency
        self.country = country
    }
}

extension AnalysisContext {
    public init(event: InputEvent, defaults: AnalysisDefaults) {
        self.init(
            referenceTime: event.timestamp.date,
            timeZone: event.metadata.timezone.flatMap(TimeZone.init(identifier:)) ?? defaults.timeZone,
            currency: event.metadata.currency ?? defaults.currency,
            country: event.metadata.country ?? defaults.country,
            catalog: event.catalog,
            history: event.history.map { HistoryMessage(direction: $0.direction == .inbound ? .inbound : .outbound, text: $0.text) }
        )
    }
}

/// The rules tier alone.
public struct RulesAnalyzer: EventAnalyzer {
    public let engine: RulesEngine
    public let defaults: AnalysisDefaults

    public init(engine: RulesEngine, defaults: AnalysisDefaults) {
        self.engine = engine
        self.defaults = defaults
    }

    public func analyze(_ event: InputEvent) async throws -> AnalyzerOutcome {
        AnalyzerOutcome(analysis: engine.analyze(event.text ?? "", context: AnalysisContext(event: event, defaults: defaults)))
    }
}
