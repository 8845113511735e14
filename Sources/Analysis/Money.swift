import Events
/// Amounts of money with currency and budget bounds.
struct MoneyReader: Sendable {
    /// Words that name a currency before an amount ("Rs 500", "INR 2,000", "USD 30").
    static let before: [String: String] = [
        "rs": "INR", "inr": "INR", "usd": "USD", "eur": "EUR", "gbp": "GBP", "aed": "AED", "sgd": "SGD",
        "rupees": "INR", "rupee": "INR", "re": "INR", "cad": "CAD", "aud": "AUD",
    ]
    /// Words that name a currency after an amount ("500 rupees", "20 bucks").
    static let after: [String: String] = [
        "rs": "INR", "inr": "INR", "rupees": "INR", "rupee": "INR", "rupaye": "INR", "rupaiye": "INR", "rupay": "INR",
        "rupiya": "INR", "rupiye": "INR", "rupya": "INR", "rupye": "INR", "rupess": "INR", "ruppees": "INR", "rupes": "INR",
        "usd": "USD", "dollars": "USD", "dollar": "USD", "bucks": "USD", "eur": "EUR", "euros": "EUR", "euro": "EUR",
        "gbp": "GBP", "quid": "GBP", "aed": "AED", "dirhams": "AED", "dirham": "AED", "sgd": "SGD", "cad": "CAD", "aud": "AUD",
        "paise": "INR", "cents": "USD", "cent": "USD",
    ]
    /// Minor units: "10 cents", "50 paise".
    static let minorUnits: Set<String> = ["cents", "cent", "paise", "pence"]
    /// The currency a minor unit belongs to (nil: the configured one, or USD in India).
    static let minorCurrency: [String: String] = ["paise": "INR", "pence": "GBP"]
    /// Multipliers that by themselves mark an amount as money.
    static let moneyMultipliers: Set<String> = ["grand", "k", "lakh", "lakhs", "lac", "lacs", "lk", "crore", "crores", "cr"]
    static let indianScales: Set<String> = ["lakh", "lakhs", "lac", "lacs", "lk", "crore", "crores", "cr"]
    static let maxWords: Set<String> = ["under", "below", "upto", "within", "less", "max", "maximum", "lower", "cheaper", "budget", "tak", "neeche", "andar", "kam"]
    static let minWords: Set<String> = ["above", "over", "more", "least", "atleast", "minimum", "min", "upar", "starting", "greater"]
    static let contextWords: Set<String> = [
        "budget", "price", "prices", "cost", "costs", "costing", "pay", "paid", "paying", "spend", "rate", "amount", "worth",
        "charged", "charge", "charges", "refund", "bill", "mrp", "under", "below", "upto", "within", "between", "range", "above",
        "fee", "fees", "emi", "deposit", "advance", "total", "price:", "rs", "payment", "debited", "deducted", "offer", "sell",
    ]

    /// Words after an amount that are no counted noun ("500 only", "50k tak").
    static let amountClosers: Set<String> = ["only", "hai", "tak", "and", "to", "or", "max", "maximum", "se", "ke", "ka", "ki"]
    static let exactWords: Set<String> = ["around", "about", "approx", "approximately", "roughly", "nearly", "almost", "lagbhag", "each", "exactly"]

    let numbers = NumberReader()

    struct Found { var price: Price; var start: Int; var end: Int }

    /// A currency written before an amount: its code, the index of the amount and a scale ("MAUD 60").
    func currencyBefore(_ t: [Token], at i: Int) -> (String, Int, Double)? {
        // "C$ 300", "hk $ 10.05", "US$", "Mex$": the letters say which dollar.
        if t[i].kind == .word, i + 1 < t.count, t[i + 1].kind == .currency, t[i + 1].byte == UInt8(ascii: "$"), let c = Currencies.dollarPrefixes[t[i].text],
            t[i].text.utf8.count > 1 || t[i].text == "c" || !t[i + 1].spaceBefore {
            return (c, i + 2, 1)
        }
        if t[i].kind == .word, !t[i].cls.contains(.currencyWord) { return nil }
        if t[i].kind == .currency, let c = Currencies.symbols[t[i].text] { return (c, i + 1, 1) }
        guard t[i].kind == .word else { return nil }
        if let c = MoneyReader.before[t[i].text] {
            var j = i + 1
            while j < t.count, t[j].isPunct(".") || t[j].isPunct(":") { j += 1 }
            if t[i].text == "re" || t[i].text == "rupee" || t[i].text == "rupees" {
                guard j < t.count, t[j].isNumber else { return nil }
            }
            return (c, j, 1)
        }
        if let (c, scale) = Currencies.code(t[i], afterAmount: false) { return (c, i + 1, scale) }
        return nil
    }

    /// A currency written after an amount that ends at `j`: its code (nil for "/-"), the end of
    /// the mention, a scale ("30 MUSD"), and whether it is a minor unit (cents, pence, paise).
    func currencyAfter(_ t: [Token], at j0: Int, scaled: Bool = false) -> (code: String?, end: Int, scale: Double, minor: Bool)? {
        guard j0 < t.count else { return nil }
        var j = j0
        // "12-cent", "one-yen"
        if t[j].isPunct("-"), !t[j].spaceBefore, j + 1 < t.count, t[j + 1].kind == .word, !t[j + 1].spaceBefore { j += 1 }
        // "250 canadian dollars": an adjective first (checked before the word-class gate; this runs only after amounts).
        if t[j].kind == .word, let nouns = Currencies.adjectives[t[j].text] {
            var k = j + 1
            if t[j].text == "new" || t[j].text == "hong" { k += 1 }
            if k < t.count, t[k].kind == .word {
                let noun = t[k].text.hasSuffix("s") ? String(t[k].text.dropLast()) : t[k].text
                if let c = nouns[noun] ?? nouns[t[k].text] { return (c, k + 1, 1, false) }
            }
        }
        if t[j].kind == .word, !t[j].cls.contains(.currencyWord) { return nil }
        if t[j].kind == .word, MoneyReader.minorUnits.contains(t[j].text) {
            return (MoneyReader.minorCurrency[t[j].text], j + 1, 0.01, true)
        }
        if t[j].kind == .word, let c = MoneyReader.after[t[j].text] {
            var e = j + 1
            if (t[j].text == "rs" || t[j].text == "inr"), e < t.count, t[e].isPunct("."), !t[e].spaceBefore { e += 1 }
            return (c, e, 1, false)
        }
        if t[j].kind == .word, let c = Currencies.names[t[j].text] {
            // "2 pounds of rice" and "a 2 pound cake" are weights.
            if t[j].text == "pound" || t[j].text == "pounds", !scaled, j + 1 < t.count, t[j + 1].kind == .word,
                t[j + 1].text == "of" || !Words.function.contains(t[j + 1].norm) && t[j + 1].text != "sterling" { return nil }
            return (c, j + 1, 1, false)
        }
        if t[j].kind == .word, let (c, scale) = Currencies.code(t[j], afterAmount: true) { return (c, j + 1, scale, false) }
        if t[j].kind == .currency, let c = Currencies.symbols[t[j].text], !t[j].spaceBefore || t[j].text != "$" { return (c, j + 1, 1, false) }
        // "500/-"
        if t[j].isPunct("/"), j + 1 < t.count, t[j + 1].isPunct("-"), !t[j].spaceBefore { return (nil, j + 2, 1, false) }
        return nil
    }

    /// Hundredths written after the major unit: "3 dollars 50 cents", "15 dollars and 50".
    private func minorPart(_ t: [Token], at j0: Int) -> (Double, Int)? {
        var j = j0
        if j < t.count, t[j].text == "and" { j += 1 }
        guard j < t.count, t[j].kind == .number || t[j].kind == .word, let num = numbers.read(t, at: j), num.multiplier == nil,
            num.value >= 1, num.value < 100, num.value == num.value.rounded() else { return nil }
        if t[j].kind == .number, t[j].text.utf8.count > 2 { return nil }
        if num.end < t.count, t[num.end].kind == .word, MoneyReader.minorUnits.contains(t[num.end].text) { return (num.value / 100, num.end + 1) }
        if num.end == t.count || (t[num.end].kind == .punct && !t[num.end].isPunct("-") && !t[num.end].isPunct("/")) { return (num.value / 100, num.end) }
        return nil
    }

    func scan(_ t: [Token], _ bytes: [UInt8], claimed: [Bool], defaultCurrency: String) -> [Found] {
        var out: [Found] = []
        var i = 0
        while i < t.count {
            if claimed[i] { i += 1; continue }
            guard let first = readAmount(t, at: i, claimed: claimed, defaultCurrency: defaultCurrency) else { i += 1; continue }
            var found = first
            // A range: "20-30k", "20k to 30k", "between 20 and 30 thousand", "₹500 - ₹800".
            var j = found.end
            if j < t.count, t[j].isPunct("-") || t[j].norm == "to" || (t[j].text == "and" && hasWord(t, before: found.start, in: ["between"])) {
                j += 1
                if j < t.count, !claimed[j], var second = readAmount(t, at: j, claimed: claimed, defaultCurrency: defaultCurrency, allowBare: true),
                    second.hasMoneySignal || found.hasMoneySignal {
                    if !found.hasMoneySignal || (found.multiplier == nil && second.multiplier != nil) {
                        if found.multiplier == nil, let m = second.multiplier, let scale = NumberReader.digitMultipliers[m], found.price.amount < second.price.amount / scale * 1.0001 + 1 {
                            found.price.amount *= scale
                        }
                        if !found.explicitCurrency { found.price.currency = second.price.currency }
                    }
                    if !second.explicitCurrency && found.explicitCurrency { second.price.currency = found.price.currency }
                    if found.price.amount <= second.price.amount {
                        found.price.bound = .min
                        second.price.bound = .max
                    }
                    out.append(Found(price: found.price, start: found.start, end: found.end))
                    out.append(Found(price: second.price, start: second.start, end: second.end))
                    i = second.end
                    continue
                }
            }
            if found.hasMoneySignal {
                found.price.bound = bound(t, before: found.start)
                out.append(Found(price: found.price, start: found.start, end: found.end))
                i = found.end
                continue
            }
            i = max(found.end, i + 1)
        }
        // Texts from the original bytes.
        for k in out.indices {
            out[k].price.text = String(decoding: bytes[t[out[k].start].start..<t[out[k].end - 1].end], as: UTF8.self)
        }
        return out
    }

    struct Amount {
        var price: Price
        var start: Int
        var end: Int
        var multiplier: String?
        var explicitCurrency: Bool
        var hasMoneySignal: Bool
    }

    private func readAmount(_ t: [Token], at i: Int, claimed: [Bool], defaultCurrency: String, allowBare: Bool = false) -> Amount? {
        if let (currency, j, scale) = currencyBefore(t, at: i), j < t.count, !claimed[j], let num = numbers.read(t, at: j), !num.isWords || num.value >= 1 {
            var end = num.end
            var mult = num.multiplier
            if mult == nil, end < t.count, t[end].text == "l", !t[end].spaceBefore { mult = "lakh"; end += 1 }
            var value = mult == "lakh" && num.multiplier == nil ? num.value * 100_000 : num.value
            if mult == "dozen" { value = num.value; mult = nil }
            value *= scale
            if let after = currencyAfter(t, at: end), t[end].isPunct("/") { end = after.end }
            return Amount(price: Price(amount: value, currency: currency, text: ""), start: i, end: end, multiplier: mult, explicitCurrency: true, hasMoneySignal: true)
        }
        guard t[i].kind == .number || t[i].kind == .word, let num = numbers.read(t, at: i) else { return nil }
        if num.multiplier == "dozen" { return Amount(price: Price(amount: num.value, currency: defaultCurrency, text: ""), start: i, end: num.end, multiplier: nil, explicitCurrency: false, hasMoneySignal: false) }
        // Words like "one" alone are rarely money unless a currency follows.
        if let after = currencyAfter(t, at: num.end, scaled: num.multiplier != nil) {
            if after.minor {
                let code = after.code ?? (defaultCurrency == "INR" ? "USD" : defaultCurrency)
                return Amount(price: Price(amount: num.value / 100, currency: code, text: ""), start: i, end: after.end,
                              multiplier: nil, explicitCurrency: true, hasMoneySignal: true)
            }
            let currency = after.code ?? defaultCurrency
            var value = num.value * after.scale
            var end = after.end
            // "75 USD million"
            if num.multiplier == nil, end < t.count, let scale = NumberReader.scales[t[end].text] { value *= scale; end += 1 }
            if after.code != nil, Currencies.hasCents(currency), num.value == num.value.rounded(), let (cents, e) = minorPart(t, at: end) {
                value += cents; end = e
            }
            return Amount(price: Price(amount: value, currency: currency, text: ""), start: i, end: end,
                          multiplier: num.multiplier, explicitCurrency: after.code != nil, hasMoneySignal: true)
        }
        // In Indian chat a bare "52,990" is a price; elsewhere it is a number unless money is named
        // or priced around it.
        let indianMarket = defaultCurrency == "INR"
        let contextual = hasWord(t, before: i, in: MoneyReader.contextWords, window: 3)
        // "50k" or "5 grand" alone is money; "2 lakh" too in Indian chat, elsewhere the Indian scales
        // are money only when money is named or priced around them ("we counted 2 lakh").
        if let m = num.multiplier, MoneyReader.moneyMultipliers.contains(m), indianMarket || contextual || !MoneyReader.indianScales.contains(m) {
            return Amount(price: Price(amount: num.value, currency: defaultCurrency, text: ""), start: i, end: num.end,
                          multiplier: m, explicitCurrency: false, hasMoneySignal: true)
        }
        let big = num.value >= 100 || num.multiplier != nil
        let followedByNoun = num.end < t.count && t[num.end].kind == .word && !MoneyReader.amountClosers.contains(t[num.end].text)
        // "52,990" with thousands separators and nothing counted after it is an amount.
        let formatted = !num.isWords && !num.isPlainInteger && num.multiplier == nil && num.value >= 1000 && t[i].text.utf8.count <= 3
            && i + 1 < t.count && t[i + 1].isPunct(",")
        let signal = (contextual && (big || allowBare) && !followedByNoun) || (formatted && !followedByNoun && indianMarket)
        return Amount(price: Price(amount: num.value, currency: defaultCurrency, text: ""), start: i, end: num.end,
                      multiplier: num.multiplier, explicitCurrency: false, hasMoneySignal: signal)
    }

    private func hasWord(_ t: [Token], before i: Int, in words: Set<String>, window: Int = 4) -> Bool {
        var k = i - 1
        while k >= 0, k >= i - window {
            if t[k].kind == .punct && (t[k].isPunct(".") || t[k].isPunct("?") || t[k].isPunct("!")) { return false }
            if words.contains(t[k].text) || words.contains(t[k].norm) { return true }
            k -= 1
        }
        return false
    }

    private func bound(_ t: [Token], before i: Int) -> PriceBound {
        var k = i - 1
        while k >= 0, k >= i - 4 {
            let w = t[k].norm
            if t[k].kind == .punct && !t[k].isPunct(":") { break }
            if MoneyReader.exactWords.contains(w) { return .exact }
            if MoneyReader.maxWords.contains(w) || (w == "to" && k > 0 && t[k - 1].norm == "up") { return .max }
            if MoneyReader.minWords.contains(w) { return .min }
            if w == "than", k > 0 {
                if t[k - 1].norm == "less" { return .max }
                if t[k - 1].norm == "more" || t[k - 1].norm == "greater" { return .min }
            }
            k -= 1
        }
        // Hinglish: "50k tak", "50k se kam"
        return .exact
    }
}
