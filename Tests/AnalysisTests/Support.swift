import Analysis
import Events
import Foundation

/// Shared engine and a fixed reference: Saturday 2025-10-25 10:30 in Asia/Kolkata.
enum Fixture {
    static let engine = RulesEngine()
    static let reference = Date(timeIntervalSince1970: 1_761_368_400) // 2025-10-25T05:00:00Z = 10:30 IST
    static let kolkata = TimeZone(identifier: "Asia/Kolkata")!

    static func context(
        reference: Date = reference, zone: TimeZone = kolkata, currency: String = "INR", country: String = "IN",
        catalog: [String] = []
    ) -> AnalysisContext {
        AnalysisContext(referenceTime: reference, timeZone: zone, currency: currency, country: country, catalog: catalog)
    }

    static func analyze(_ text: String, _ context: AnalysisContext = context()) -> Analysis {
        engine.analyze(text, context: context)
    }

    static func entities(_ text: String, _ context: AnalysisContext = context()) -> Entities {
        analyze(text, context).entities
    }
}

/// A small deterministic generator (SplitMix64) for property tests.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
