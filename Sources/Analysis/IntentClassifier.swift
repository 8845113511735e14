import Events
import Foundation

/// Weighted cue phrases with negation, hedging and multi-intent resolution, turned into a
/// calibrated distribution over intents.
struct IntentClassifier: Sendable {
    struct Phrase: Sendable {
        var words: [String?] // nil = any one word
        var intent: Int
        var weight: Double
        var containsNegator: Bool
    }

    static let intents = Intent.allCases
    static let index: [Intent: Int] = Dictionary(uniqueKeysWithValues: Intent.allCases.enumerated().map { ($1, $0) })

    let byFirst: [String: [Phrase]]
    /// Every cue word (for typo correction).
    let vocabulary: Set<String>

    init(tokenizer: Tokenizer) {
        var map: [String: [Phrase]] = [:]
        var vocab: Set<String> = []
        for (intent, spec) in IntentLexicon.cues {
            let idx = IntentClassifier.index[intent]!
            for item in spec.split(separator: "|") {
                let trimmed = item.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !trimmed.isEmpty else { continue }
                var text = Substring(trimmed)
                var weight = 1.0
                if let colon = trimmed.lastIndex(of: ":"), let w = Double(trimmed[trimmed.index(after: colon)...]) {
                    weight = w
                    text = trimmed[..<colon]
                }
                var words: [String?] = []
                for piece in text.split(separator: " ") {
                    if piece == "*" { words.append(nil); continue }
                    for tok in tokenizer.tokenize(Array(piece.utf8)) where tok.kind == .word || tok.kind == .number {
                        words.append(tok.norm)
                        vocab.insert(tok.norm)
                    }
                }
                guard let first = words.first, let key = first else { continue }
                let neg = words.contains { $0.map { IntentLexicon.negators.contains($0) } ?? false }
                map[key, default: []].append(Phrase(words: words, intent: idx, weight: weight, containsNegator: neg))
            }
        }
        for key in map.keys { map[key]!.sort { $0.words.count > $1.words.count } }
        byFirst = map
        vocabulary = vocab
    }

    struct Signals {
        var negatedPurchase = false
        var hedged = false
        var urgent = false
        var cueCount = 0
        /// A question or a request verb: the message asks for something.
        var isRequest = false
        /// The customer refers to an order they already placed ("my order", "I ordered").
        var ownOrder = false
        /// "but" contrasts a courtesy with the real point ("thank you, but the delivery was late").
        var contrast = false
        /// A pointer at the business's goods ("your", "this", "it") for product questions.
        var pointsAtProduct = false
        /// A change verb ("change", "add", "remove", "move") near a reference to an existing order.
        var changesOrder = false
    }

    static let requestWords: Set<String> = [
        "please", "can", "could", "would", "will", "want", "need", "send", "give", "tell", "help", "kya", "chahiye", "karo",
        "kar", "dedo", "bhejo", "how", "what", "when", "where", "why", "which", "kab", "kitne", "kaise", "kahan", "do", "does",
        "pls", "kindly", "batao", "bataye", "dijiye", "share", "let",
    ]
    static let changeVerbs: Set<String> = [
        "change", "modify", "update", "add", "remove", "swap", "upgrade", "downgrade", "reduce", "increase", "move", "moved",
        "push", "shift", "switch", "reschedule", "postpone", "prepone", "edit", "badal", "badalna", "badlo", "instead", "hata", "jagah",
    ]
    static let pointerWords: Set<String> = ["your", "this", "these", "it", "they", "them", "ye", "yeh", "aapka", "aapke", "apka"]
    static let ownership: Set<String> = ["my", "mera", "meri", "mere", "our", "the", "this", "that", "same"]
    static let orderNouns: Set<String> = ["order", "orders", "booking", "parcel", "package", "shipment", "delivery", "ordered"]

    struct Result {
        var scores: [Double]
        var signals: Signals
    }

    /// Raw cue scores per intent (indexed like `Intent.allCases`).
    func score(_ t: [Token]) -> Result {
        let count = IntentClassifier.intents.count
        var best = [Double](repeating: 0, count: count)
        var rest = [Double](repeating: 0, count: count)
        var coveredUntil = [Int](repeating: 0, count: count)
        var signals = Signals()
        var i = 0
        var perIntent = [Double](repeating: 0, count: count)
        var perIntentEnd = [Int](repeating: 0, count: count)
        var perIntentNeg = [Bool](repeating: false, count: count)
        while i < t.count {
            let tok = t[i]
            let c = tok.cls
            if tok.kind == .word, !c.isEmpty {
                if c.contains(.hedge) { signals.hedged = true }
                if c.contains(.urgency) { signals.urgent = true }
                if c.contains(.request) { signals.isRequest = true }
                if c.contains(.contrast) { signals.contrast = true }
                if c.contains(.pointer) { signals.pointsAtProduct = true }
                if c.contains(.orderNoun), i > 0, IntentClassifier.ownership.contains(t[i - 1].norm) || tok.norm == "ordered" {
                    if tok.norm != "delivery" { signals.ownOrder = true }
                    if !signals.changesOrder {
                        var k = max(0, i - 7)
                        while k < min(t.count, i + 8) {
                            if IntentClassifier.changeVerbs.contains(t[k].norm) { signals.changesOrder = true; break }
                            k += 1
                        }
                    }
                }
            } else if tok.isPunct("?") {
                signals.isRequest = true
            }
            guard c.contains(.phraseStart), let list = byFirst[tok.norm] else { i += 1; continue }
            for k in 0..<count { perIntent[k] = 0; perIntentEnd[k] = 0 }
            for phrase in list {
                guard let end = match(phrase, t, at: i) else { continue }
                if phrase.weight > perIntent[phrase.intent] {
                    perIntent[phrase.intent] = phrase.weight
                    perIntentEnd[phrase.intent] = end
                    perIntentNeg[phrase.intent] = phrase.containsNegator
                }
            }
            for k in 0..<count where perIntent[k] > 0 && i >= coveredUntil[k] {
                var w = perIntent[k]
                let intent = IntentClassifier.intents[k]
                if intent == .orderRequest, isConditional(t, start: i) { w *= 0.3 }
                if !perIntentNeg[k], intent == .refundRequest || intent == .complaint, isDenied(t, start: i) {
                    w = 0
                } else if !perIntentNeg[k], IntentLexicon.negatable.contains(intent), isNegated(t, start: i, end: perIntentEnd[k]) {
                    switch intent {
                    case .orderRequest, .bookingRequest: signals.negatedPurchase = true
                    case .scheduleCall: add(&best, &rest, IntentPositions.of(.optOut), w * 0.8)
                    case .feedback: add(&best, &rest, IntentPositions.of(.complaint), w * 0.9)
                    default: break
                    }
                    w = 0
                }
                if w > 0 {
                    add(&best, &rest, k, w)
                    signals.cueCount += 1
                }
                coveredUntil[k] = perIntentEnd[k]
            }
            i += 1
        }
        var scores = [Double](repeating: 0, count: count)
        for k in 0..<count { scores[k] = best[k] + 0.45 * rest[k] }
        return Result(scores: scores, signals: signals)
    }

    @inline(__always)
    private func add(_ best: inout [Double], _ rest: inout [Double], _ k: Int, _ w: Double) {
        if w > best[k] { rest[k] += best[k]; best[k] = w } else { rest[k] += w }
    }

    private func match(_ p: Phrase, _ t: [Token], at i: Int) -> Int? {
        var j = i
        for word in p.words {
            guard j < t.count, t[j].kind == .word || t[j].kind == .number else { return nil }
            if let word, t[j].norm != word { return nil }
            j += 1
        }
        return j
    }

    /// "if I order now", "after ordering": a purchase mentioned as a condition.
    private func isConditional(_ t: [Token], start: Int) -> Bool {
        var k = start - 1
        while k >= 0, k >= start - 3 {
            if t[k].kind == .punct { return false }
            if ["if", "agar", "once", "after", "before", "when"].contains(t[k].norm) { return true }
            k -= 1
        }
        return false
    }

    /// "not a refund", "I'm not asking for a refund": the customer rules the request out.
    private func isDenied(_ t: [Token], start: Int) -> Bool {
        var k = start - 1
        while k >= 0, k >= start - 4 {
            let w = t[k].norm
            if t[k].kind == .punct { return false }
            if ["received", "got", "get", "yet", "getting", "receive", "processed", "credited", "issued", "initiated"].contains(w) { return false }
            if w == "not" || w == "no" { return true }
            k -= 1
        }
        return false
    }

    private func isNegated(_ t: [Token], start: Int, end: Int) -> Bool {
        var k = start - 1
        var steps = 0
        while k >= 0, steps < 4 {
            let tok = t[k]
            if tok.kind == .punct, tok.byte != UInt8(ascii: "'") { break }
            if tok.norm == "but" || tok.norm == "just" { break }
            if tok.cls.contains(.negator) { return true }
            k -= 1; steps += 1
        }
        // Hinglish puts the negation after the verb: "order nahi karna", "call mat karo".
        var j = end
        steps = 0
        while j < t.count, steps < 3 {
            let tok = t[j]
            if tok.kind == .punct { break }
            if tok.norm == "nahi" || tok.norm == "mat" || tok.norm == "na" { return true }
            j += 1; steps += 1
        }
        return false
    }
}
