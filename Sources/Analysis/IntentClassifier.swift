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
    /// `IntentLexicon.negatable` by intent position (a Set<Intent> lookup hashes the raw string).
    let negatable: [Bool]
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
        negatable = IntentClassifier.intents.map { IntentLexicon.negatable.contains($0) }
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
        var tallies = [Tally](repeating: Tally(), count: count)
        var signals = Signals()
        var i = 0
        while i < t.count {
            let c = t[i].cls
            if t[i].kind == .word, !c.isEmpty {
                if c.contains(.hedge) { signals.hedged = true }
                if c.contains(.urgency) { signals.urgent = true }
                if c.contains(.request) { signals.isRequest = true }
                if c.contains(.contrast) { signals.contrast = true }
                if c.contains(.pointer) { signals.pointsAtProduct = true }
                if c.contains(.orderNoun), i > 0, IntentClassifier.ownership.contains(t[i - 1].norm) || t[i].norm == "ordered" {
                    if t[i].norm != "delivery" { signals.ownOrder = true }
                    if !signals.changesOrder {
                        var k = max(0, i - 7)
                        while k < min(t.count, i + 8) {
                            if IntentClassifier.changeVerbs.contains(t[k].norm) { signals.changesOrder = true; break }
                            k += 1
                        }
                    }
                }
            } else if t[i].isPunct("?") {
                signals.isRequest = true
            }
            guard c.contains(.phraseStart), let list = byFirst[t[i].norm] else { i += 1; continue }
            for k in 0..<count { tallies[k].weight = 0; tallies[k].end = 0 }
            for p in list.indices {
                guard let end = match(list[p], t, at: i) else { continue }
                let intent = list[p].intent
                if list[p].weight > tallies[intent].weight {
                    tallies[intent].weight = list[p].weight
                    tallies[intent].end = end
                    tallies[intent].negated = list[p].containsNegator
                }
            }
            for k in 0..<count where tallies[k].weight > 0 && i >= tallies[k].coveredUntil {
                var w = tallies[k].weight
                let intent = IntentClassifier.intents[k]
                if intent == .orderRequest, isConditional(t, start: i) { w *= 0.3 }
                if !tallies[k].negated, intent == .refundRequest || intent == .complaint, isDenied(t, start: i) {
                    w = 0
                } else if !tallies[k].negated, negatable[k], isNegated(t, start: i, end: tallies[k].end) {
                    switch intent {
                    case .orderRequest, .bookingRequest: signals.negatedPurchase = true
                    case .scheduleCall: tallies[IntentPositions.of(.optOut)].add(w * 0.8)
                    case .feedback: tallies[IntentPositions.of(.complaint)].add(w * 0.9)
                    default: break
                    }
                    w = 0
                }
                if w > 0 {
                    tallies[k].add(w)
                    signals.cueCount += 1
                }
                tallies[k].coveredUntil = tallies[k].end
            }
            i += 1
        }
        return Result(scores: tallies.map { $0.best + 0.45 * $0.rest }, signals: signals)
    }

    /// Per-intent state of `score`, in one array (each array costs an allocation and a
    /// metadata lookup per message).
    private struct Tally {
        var best = 0.0
        var rest = 0.0
        var coveredUntil = 0
        /// The strongest phrase of this intent starting at the current token, and its end.
        var weight = 0.0
        var end = 0
        var negated = false

        mutating func add(_ w: Double) {
            if w > best { rest += best; best = w } else { rest += w }
        }
    }

    /// The end of `p` matched at `i`, where `p` was found under `t[i].norm` (its first word).
    private func match(_ p: Phrase, _ t: [Token], at i: Int) -> Int? {
        guard t[i].kind == .word || t[i].kind == .number else { return nil }
        guard i + p.words.count <= t.count else { return nil }
        var j = i + 1
        for k in 1..<p.words.count {
            guard t[j].kind == .word || t[j].kind == .number else { return nil }
            if let word = p.words[k], t[j].norm != word { return nil }
            j += 1
        }
        return j
    }

    static let conditionWords: Set<String> = ["if", "agar", "once", "after", "before", "when"]
    /// Words about a refund already under way: a "not" before them denies nothing.
    static let receiptWords: Set<String> = ["received", "got", "get", "yet", "getting", "receive", "processed", "credited", "issued", "initiated"]

    /// "if I order now", "after ordering": a purchase mentioned as a condition.
    private func isConditional(_ t: [Token], start: Int) -> Bool {
        var k = start - 1
        while k >= 0, k >= start - 3 {
            if t[k].kind == .punct { return false }
            if IntentClassifier.conditionWords.contains(t[k].norm) { return true }
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
            if IntentClassifier.receiptWords.contains(w) { return false }
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
