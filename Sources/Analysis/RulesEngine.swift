import Foundation
import Events

/// The rules tier: turns a message into an `Analysis` with no I/O. Build once (tables are
/// compiled in `init`), share freely across threads.
public struct RulesEngine: Sendable {
    let tokenizer: Tokenizer
    let classifier: IntentClassifier
    let corrector: TypoCorrector
    let money = MoneyReader()
    let quantityReader = QuantityReader()
    let numerals = NumeralReader()

    public init() {
        let base = Tokenizer(slang: Slang.table)
        let classifier = IntentClassifier(tokenizer: base)
        self.classifier = classifier
        corrector = TypoCorrector(vocabulary: classifier.vocabulary)
        var known = classifier.vocabulary.union(Words.function)
        known.formUnion(Words.units.keys)
        known.formUnion(DateReader.months.keys)
        known.formUnion(DateReader.weekdays.keys)
        known.formUnion(LanguageDetector.markers.keys)
        known.formUnion(SentimentScorer.positive.keys)
        known.formUnion(SentimentScorer.negative.keys)
        known.formUnion(Slang.table.values)
        known.formUnion(NumberReader.units.keys)
        known.formUnion(NumberReader.tens.keys)
        known.formUnion(NumberReader.scales.keys)
        known.formUnion(NumberReader.denominators.keys)
        known.formUnion(Currencies.words)
        var classes: [String: WordClass] = [:]
        func mark(_ words: some Sequence<String>, _ c: WordClass) { for w in words { classes[w, default: []].insert(c) } }
        mark(classifier.byFirst.keys, .phraseStart)
        mark(DateReader.triggerWords, .dateWord)
        mark(IntentLexicon.hedges, .hedge)
        mark(IntentLexicon.urgency, .urgency)
        mark(IntentClassifier.requestWords, .request)
        mark(IntentClassifier.orderNouns, .orderNoun)
        mark(IntentClassifier.pointerWords, .pointer)
        mark(["but", "lekin", "par"], .contrast)
        mark(IntentLexicon.negators, .negator)
        mark(LanguageDetector.markers.keys, .marker)
        mark(SentimentScorer.positive.keys, .sentiment)
        mark(SentimentScorer.negative.keys, .sentiment)
        mark(NumberReader.units.keys, .numberWord)
        mark(NumberReader.tens.keys, .numberWord)
        mark(NumberReader.scales.keys, .numberWord)
        mark(["a", "an", "half", "quarter", "dozen", "hundred", "sau", "ek", "do", "minus", "negative"], .numberWord)
        mark(NumberReader.denominators.keys, .fractionWord)
        mark(NumberReader.ordinalUnits.keys, .fractionWord)
        mark(DateReader.months.keys, .monthName)
        mark(DateReader.ordinalDays.keys, .dayOrdinal)
        mark(["twenty", "thirty"], .dayOrdinal)
        mark(MoneyReader.before.keys, .currencyWord)
        mark(MoneyReader.after.keys, .currencyWord)
        mark(["us", "pence"], .currencyWord)
        mark(Currencies.amountWords, .currencyWord)
        mark(OrderIDReader.keywords, .orderKeyword)
        mark(ProductMatcher.pointers, .productPointer)
        mark(known, .known)
        tokenizer = Tokenizer(slang: Slang.table, classes: classes)
    }

    public func analyze(_ text: String, context: AnalysisContext) -> Analysis {
        let bytes = Array(text.utf8)
        var tokens = tokenizer.tokenize(bytes)
        var corrected = 0
        for k in tokens.indices where tokens[k].kind == .word && tokens[k].text.utf8.count >= 5 && !tokens[k].cls.contains(.known) {
            if let collapsed = RulesEngine.collapseRuns(tokens[k].norm), collapsed != tokens[k].norm {
                // "helloooo", "pleaseee", "thanksss"
                let fixed = tokenizer.slang[collapsed] ?? collapsed
                let cls = tokenizer.classes[fixed] ?? []
                if cls.contains(.known) { tokens[k].norm = fixed; tokens[k].cls = cls; continue }
            }
            if let fix = corrector.correct(tokens[k].norm) {
                tokens[k].norm = fix
                tokens[k].cls = tokenizer.classes[fix] ?? []
                corrected += 1
            }
        }
        let wordCount = tokens.reduce(0) { $0 + ($1.kind == .word || $1.kind == .number ? 1 : 0) }
        // Nothing but punctuation; an emoji or a lone "¾" still says something.
        if tokens.isEmpty || (wordCount == 0 && !tokens.contains { $0.kind == .emoji || $0.kind == .other }) {
            return Self.empty(text: text)
        }
        let (entities, counted) = extract(tokens, bytes, context: context)
        // Bare numerals are reported but weigh nothing in the decisions: those see counted goods only.
        var decisive = entities
        decisive.quantities.removeSubrange(counted...)
        let raw = classifier.score(tokens)
        let sentimentRaw = SentimentScorer.raw(tokens)
        let evidence = IntentDecision.Evidence(
            hasOrderID: !decisive.orderIDs.isEmpty,
            hasQuantityWithProduct: decisive.quantities.contains { $0.product != nil },
            hasQuantity: !decisive.quantities.isEmpty,
            hasProduct: !decisive.products.isEmpty,
            hasBudget: decisive.prices.contains { $0.bound != .exact },
            hasDate: !decisive.dates.isEmpty,
            hasContact: !decisive.phones.isEmpty || !decisive.emails.isEmpty,
            questionMark: bytes.contains(UInt8(ascii: "?")),
            wordCount: wordCount,
            correctedTypos: corrected,
            sentiment: sentimentRaw,
            hasCountedProduct: decisive.quantities.contains { $0.product != nil && ($0.unit != nil || $0.value > 1 || true) }
        )
        let intent = IntentDecision.decide(raw, evidence: evidence)
        let language = LanguageDetector.detect(tokens, bytes: bytes)
        let sentiment = SentimentScorer.label(sentimentRaw, intent: intent.intent)
        let lead = LeadScoring.score(intent: intent.intent, entities: decisive, sentiment: sentiment, signals: raw.signals)
        let quality = LeadQuality(score: lead)
        let actions = ActionPlanner.plan(intent: intent, entities: decisive, quality: quality, sentiment: sentiment)
        let reply = ResponseWriter.write(intent: intent.intent, entities: decisive, language: language)
        return Analysis(
            intent: intent, entities: entities, leadScore: lead, leadQuality: quality, sentiment: sentiment,
            language: language, suggestedActions: actions, suggestedResponse: reply
        )
    }

    /// Collapses runs of three or more equal letters to one ("hellooo" -> "hello" needs two: tries both).
    static func collapseRuns(_ w: String) -> String? {
        guard hasRunOfThree(w.utf8) else { return nil }
        let u = Array(w.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var changed = false
        var k = 0
        while k < u.count {
            var e = k
            while e + 1 < u.count, u[e + 1] == u[k] { e += 1 }
            let run = e - k + 1
            if run >= 3 { changed = true; out.append(u[k]); if u[k] == UInt8(ascii: "l") || u[k] == UInt8(ascii: "e") || u[k] == UInt8(ascii: "o") { out.append(u[k]) } } else { out.append(contentsOf: u[k...e]) }
            k = e + 1
        }
        return changed ? String(decoding: out, as: UTF8.self) : nil
    }

    private static func hasRunOfThree(_ u: String.UTF8View) -> Bool {
        var previous: UInt8 = 0
        var run = 0
        for b in u {
            run = b == previous ? run + 1 : 1
            if run >= 3 { return true }
            previous = b
        }
        return false
    }

    static func empty(text: String) -> Analysis {
        Analysis(
            intent: IntentResult(intent: .unknown, confidence: 0.99, tier: .rules), entities: Entities(), leadScore: 0,
            leadQuality: .cold, sentiment: .neutral, language: LanguageCode.english, suggestedActions: [.flagForReview],
            suggestedResponse: "Could you tell me a little more so I can help?"
        )
    }

    /// Runs the extractors in an order where the most specific claims its tokens first.
    /// The entities, and how many of the quantities (the first ones) count goods or people.
    func extract(_ t: [Token], _ bytes: [UInt8], context: AnalysisContext) -> (Entities, Int) {
        var e = Entities()
        var claimed = [Bool](repeating: false, count: t.count)
        var takenBytes: [Range<Int>] = []
        func claim(_ r: Range<Int>) {
            takenBytes.append(r)
            // First token starting at or after r.lowerBound.
            var lo = 0, hi = t.count
            while lo < hi { let mid = (lo + hi) / 2; if t[mid].end <= r.lowerBound { lo = mid + 1 } else { hi = mid } }
            var k = lo
            while k < t.count, t[k].start < r.upperBound { claimed[k] = true; k += 1 }
        }
        let hasAt = bytes.contains(UInt8(ascii: "@"))
        if hasAt {
            for (email, r) in WebScanner.emails(bytes) where !e.emails.contains(email) { e.emails.append(email); claim(r) }
        }
        if t.contains(where: { $0.kind == .word && $0.text == "dot" }) {
            for (email, r) in WebScanner.spelledEmails(bytes) where !e.emails.contains(email) { e.emails.append(email); claim(r) }
        }
        if bytes.contains(UInt8(ascii: ".")) {
            for (url, r) in WebScanner.urls(bytes, excluding: takenBytes) where !e.urls.contains(url) { e.urls.append(url); claim(r) }
        }
        for (id, r) in OrderIDReader.scan(t, bytes, claimed: claimed, isCount: isCountWord) where !e.orderIDs.contains(id) {
            e.orderIDs.append(id); claim(r)
        }
        // Phones: veto spans next to money words or inside other entities.
        let phones = PhoneReader(country: context.country)
        var byteTaken = [Bool]()
        if !takenBytes.isEmpty {
            byteTaken = [Bool](repeating: false, count: bytes.count)
            for r in takenBytes { for k in r where k < bytes.count { byteTaken[k] = true } }
        }
        let found = phones.scan(bytes, skip: { byteTaken.isEmpty ? false : byteTaken[$0] }, veto: { r, plus in
            self.phoneVetoed(t, r, plus: plus)
        })
        for (p, r) in found { if !e.phones.contains(p) { e.phones.append(p) }; claim(r) }
        // Dates and times.
        let dates = DateReader(country: context.country).scan(t, bytes, claimed: claimed, context: context)
        for (d, s, end) in dates {
            e.dates.append(d)
            for k in s..<end { claimed[k] = true }
        }
        for f in money.scan(t, bytes, claimed: claimed, defaultCurrency: context.currency) {
            e.prices.append(f.price)
            for k in f.start..<f.end { claimed[k] = true }
        }
        // Numerals that are more than a plain number ("1 over 3", "-4.5") before counted goods.
        let numeralsFound = numerals.scan(t, claimed: claimed)
        for n in numeralsFound where n.compound { for k in n.start..<n.end { claimed[k] = true } }
        // Catalog names first so quantities can point at them.
        let catalog = ProductMatcher.matchCatalog(context.catalog, tokens: t)
        for q in quantityReader.scan(t, claimed: claimed) {
            var quantity = q.quantity
            if let pr = q.productRange, let hit = catalog.first(where: { $0.1.overlaps(pr) }) { quantity.product = hit.0 }
            e.quantities.append(quantity)
            for k in q.start..<q.end { claimed[k] = true }
            if let p = quantity.product, !e.products.contains(p) { e.products.append(p) }
        }
        for (name, _) in catalog where !e.products.contains(name) { e.products.append(name) }
        if context.catalog.isEmpty || catalog.isEmpty {
            for (p, _) in ProductMatcher.orderPhrases(t, claimed: claimed, reader: quantityReader) where !e.products.contains(p) {
                e.products.append(p)
            }
        }
        let counted = e.quantities.count
        // Plain numbers count as numerals only where no counted quantity took them.
        for n in numeralsFound where n.value.isFinite && (n.compound || !claimed[n.start..<n.end].contains(true)) {
            e.quantities.append(Quantity(value: n.value))
        }
        return (e, counted)
    }

    /// Words ending in "s" that are no plural count.
    static let pluralLookalikes: Set<String> = ["status", "has", "was", "is", "hasnt", "yes", "details", "pls", "thanks"]
    /// Words before a digit run that make it a price, quantity or code rather than a phone.
    static let phoneVetoLeads: Set<String> = [
        "price", "cost", "budget", "amount", "total", "rate", "order", "id", "invoice", "awb", "tracking", "ref", "pin", "pincode", "otp", "qty", "quantity",
    ]

    private func isCountWord(_ tok: Token) -> Bool {
        Words.units[tok.text] != nil || MoneyReader.after[tok.text] != nil || NumberReader.digitMultipliers[tok.text] != nil
            || (tok.text.hasSuffix("s") && tok.text.utf8.count > 3 && !RulesEngine.pluralLookalikes.contains(tok.text))
    }

    /// A digit run next to a currency, unit or order word is not a phone number.
    private func phoneVetoed(_ t: [Token], _ r: Range<Int>, plus: Bool) -> Bool {
        if plus { return false }
        var lo = 0, hi = t.count
        while lo < hi { let mid = (lo + hi) / 2; if t[mid].end <= r.lowerBound { lo = mid + 1 } else { hi = mid } }
        let first = lo
        var last = first
        while last + 1 < t.count, t[last + 1].start < r.upperBound { last += 1 }
        if first > 0 {
            let p = t[first - 1]
            if p.kind == .currency || MoneyReader.before[p.text] != nil || RulesEngine.phoneVetoLeads.contains(p.norm) {
                return true
            }
            if first > 1, t[first - 1].isPunct("."), MoneyReader.before[t[first - 2].text] != nil { return true }
        }
        if last + 1 < t.count {
            let n = t[last + 1]
            if MoneyReader.after[n.text] != nil || Words.units[n.text] != nil || NumberReader.digitMultipliers[n.text] != nil || n.isPunct("%") { return true }
            if n.isPunct("/"), last + 2 < t.count, t[last + 2].isPunct("-") { return true }
        }
        return false
    }
}
