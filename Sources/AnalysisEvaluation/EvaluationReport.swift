import Analysis
import Events
import Foundation

/// Scores the rules engine on a labelled set: intent accuracy, macro-F1, entity
/// precision/recall/F1 and a confidence calibration table.
public struct EvaluationReport: Sendable {
    public struct Counts: Sendable, Equatable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0
        public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }
    }

    public struct Band: Sendable {
        public var lower: Double
        public var upper: Double
        public var count = 0
        public var correct = 0
        public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
    }

    public struct Miss: Sendable {
        public var id: String
        public var text: String
        public var expected: String
        public var got: String
        public var confidence: Double
    }

    public static let entityTypes = ["phones", "emails", "prices", "quantities", "dates", "order_ids", "urls"]

    public var total = 0
    public var correct = 0
    /// Per intent: as expected label (support/correct) and as predicted/expected for F1.
    public var perIntent: [Intent: Counts] = [:]
    public var support: [Intent: Int] = [:]
    public var entities: [String: Counts] = [:]
    public var bands: [Band] = [
        Band(lower: 0, upper: 0.5), Band(lower: 0.5, upper: 0.7), Band(lower: 0.7, upper: 0.8), Band(lower: 0.8, upper: 0.9),
        Band(lower: 0.9, upper: 0.95), Band(lower: 0.95, upper: 1.0001),
    ]
    public var intentMisses: [Miss] = []
    public var entityMisses: [Miss] = []

    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    public var macroF1: Double {
        let labels = Intent.allCases.filter { (support[$0] ?? 0) > 0 || (perIntent[$0]?.falsePositives ?? 0) > 0 }
        guard !labels.isEmpty else { return 0 }
        return labels.reduce(0) { $0 + (perIntent[$1]?.f1 ?? 0) } / Double(labels.count)
    }

    public init() {}

    /// Reads the JSON Lines file, runs the engine on every example and renders the report.
    public static func run(fileURL: URL) throws -> String {
        try evaluate(fileURL: fileURL).render()
    }

    public static func evaluate(fileURL: URL, engine: RulesEngine = RulesEngine()) throws -> EvaluationReport {
        let examples = try EvaluationSet.load(fileURL: fileURL)
        return evaluate(examples, engine: engine)
    }

    public static func evaluate(_ examples: [LabelledExample], engine: RulesEngine = RulesEngine()) -> EvaluationReport {
        var report = EvaluationReport()
        for ex in examples { report.add(ex, engine.analyze(ex.text, context: ex.context)) }
        return report
    }

    public mutating func add(_ ex: LabelledExample, _ a: Analysis) {
        total += 1
        let got = a.intent.intent
        support[ex.intent, default: 0] += 1
        if got == ex.intent {
            correct += 1
            perIntent[got, default: Counts()].truePositives += 1
        } else {
            perIntent[got, default: Counts()].falsePositives += 1
            perIntent[ex.intent, default: Counts()].falseNegatives += 1
            intentMisses.append(Miss(id: ex.id, text: ex.text, expected: ex.intent.rawValue, got: got.rawValue, confidence: a.intent.confidence))
        }
        for k in bands.indices where a.intent.confidence >= bands[k].lower && a.intent.confidence < bands[k].upper {
            bands[k].count += 1
            if got == ex.intent { bands[k].correct += 1 }
        }
        let e = a.entities
        var missNotes: [String] = []
        func score(_ type: String, expected: [String], got: [String]) {
            var remaining = got
            var c = entities[type, default: Counts()]
            var missing: [String] = []
            for item in expected {
                if let k = remaining.firstIndex(of: item) { remaining.remove(at: k); c.truePositives += 1 } else { c.falseNegatives += 1; missing.append(item) }
            }
            c.falsePositives += remaining.count
            entities[type] = c
            if !missing.isEmpty || !remaining.isEmpty { missNotes.append("\(type): missing \(missing) extra \(remaining)") }
        }
        score("phones", expected: ex.phones, got: e.phones)
        score("emails", expected: ex.emails, got: e.emails)
        score("order_ids", expected: ex.orderIDs, got: e.orderIDs)
        score("urls", expected: ex.urls, got: e.urls)
        score("prices", expected: ex.prices.map { Self.money($0.amount, $0.currency) }, got: e.prices.map { Self.money($0.amount, $0.currency) })
        score("dates", expected: ex.dates.map { "\($0.value)|\($0.grain)" }, got: e.dates.map { "\($0.value)|\($0.grain.rawValue)" })
        // Quantities: value, and product (case-insensitive) only when the label gives one.
        do {
            var remaining = e.quantities
            var c = entities["quantities", default: Counts()]
            var missing: [String] = []
            for q in ex.quantities {
                let hit = remaining.firstIndex { abs($0.value - q.value) < 1e-9 && (q.product == nil || $0.product?.lowercased() == q.product?.lowercased()) }
                if let hit { remaining.remove(at: hit); c.truePositives += 1 } else { c.falseNegatives += 1; missing.append("\(q.value) \(q.product ?? "-")") }
            }
            c.falsePositives += remaining.count
            entities["quantities"] = c
            if !missing.isEmpty || !remaining.isEmpty {
                missNotes.append("quantities: missing \(missing) extra \(remaining.map { "\($0.value) \($0.product ?? "-")" })")
            }
        }
        if !missNotes.isEmpty {
            entityMisses.append(Miss(id: ex.id, text: ex.text, expected: missNotes.joined(separator: "; "), got: "", confidence: a.intent.confidence))
        }
    }

    static func money(_ amount: Double, _ currency: String) -> String {
        String(format: "%.2f %@", amount, currency.uppercased())
    }

    public func render(verbose: Bool = false) -> String {
        var out = ""
        func pct(_ v: Double) -> String { String(format: "%5.1f%%", v * 100) }
        out += "Analysis evaluation: \(total) messages\n\n"
        out += "Intent accuracy: \(pct(accuracy))  (\(correct)/\(total))   macro-F1: \(String(format: "%.3f", macroF1))\n\n"
        out += "intent                 support  correct  accuracy  precision  recall   F1\n"
        for intent in Intent.allCases {
            let n = support[intent] ?? 0
            let c = perIntent[intent] ?? Counts()
            guard n > 0 || c.falsePositives > 0 else { continue }
            let acc = n == 0 ? 0 : Double(c.truePositives) / Double(n)
            out += intent.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: " %7d  %7d  ", n, c.truePositives) + pct(acc)
                + String(format: "     %.3f    %.3f  %.3f\n", c.precision, c.recall, c.f1)
        }
        out += "\nentity       expected  found   TP   precision  recall   F1\n"
        for type in Self.entityTypes {
            let c = entities[type] ?? Counts()
            out += type.padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: " %8d  %5d  %4d   %.3f      %.3f    %.3f\n",
                         c.truePositives + c.falseNegatives, c.truePositives + c.falsePositives, c.truePositives, c.precision, c.recall, c.f1)
        }
        out += "\nconfidence band   count  accuracy\n"
        for b in bands {
            out += String(format: "[%.2f, %.2f)  %8d   ", b.lower, min(b.upper, 1), b.count) + (b.count == 0 ? "    -" : pct(b.accuracy)) + "\n"
        }
        let high = bands.filter { $0.lower >= 0.9 }
        let hc = high.reduce(0) { $0 + $1.count }, hr = high.reduce(0) { $0 + $1.correct }
        out += "confidence >= 0.90: \(hc) messages, " + (hc == 0 ? "-" : pct(Double(hr) / Double(hc))) + " right\n"
        if verbose {
            out += "\nIntent errors:\n"
            for m in intentMisses { out += "  [\(m.id)] expected \(m.expected) got \(m.got) (\(String(format: "%.2f", m.confidence))): \(m.text)\n" }
            out += "\nEntity errors:\n"
            for m in entityMisses { out += "  [\(m.id)] \(m.expected): \(m.text)\n" }
        }
        return out
    }
}
