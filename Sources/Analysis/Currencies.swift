/// Currency names, symbols and ISO 4217 codes beyond the configured one.
enum Currencies {
    /// Symbols (one scalar each) and the currency they usually mean.
    static let symbols: [String: String] = [
        "₹": "INR", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₩": "KRW", "₽": "RUB", "₺": "TRY", "₱": "PHP",
        "₫": "VND", "₦": "NGN", "₪": "ILS", "₴": "UAH", "₡": "CRC", "₾": "GEL", "₸": "KZT", "₼": "AZN", "₮": "MNT",
        "₲": "PYG", "₵": "GHS", "₭": "LAK", "₨": "PKR", "元": "CNY", "円": "JPY",
    ]

    /// ISO codes read in any case: no English word is spelled like them.
    static let codes: Set<String> = [
        "usd", "eur", "gbp", "inr", "aed", "sgd", "cad", "aud", "nzd", "hkd", "jpy", "cny", "rmb", "chf", "sek", "nok", "dkk",
        "mxn", "brl", "zar", "rub", "krw", "sar", "qar", "kwd", "omr", "bhd", "pkr", "bdt", "lkr", "npr", "thb", "myr", "idr",
        "vnd", "ngn", "egp", "ils", "pln", "czk", "huf", "twd", "uah", "kzt", "ars", "clp", "ghs", "jod", "isk", "ron", "bgn",
    ]
    /// Codes that are also words ("try", "pen"): read only after an amount and with a capital.
    /// Codes that are common words whatever their case ("ALL", "TOP", "MAD", "BOB") are left out.
    static let capitalCodes: Set<String> = ["try", "gel", "php", "pen", "cop", "mop", "kes", "mur"]

    /// Currency nouns after an amount ("450,000 yen", "20 bucks"), with the currency meant.
    static let names: [String: String] = [
        "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "kuai": "CNY", "lira": "TRY", "liras": "TRY", "lire": "TRY",
        "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB", "ringgit": "MYR", "baht": "THB", "riyal": "SAR",
        "riyals": "SAR", "rand": "ZAR", "naira": "NGN", "shekel": "ILS", "shekels": "ILS", "taka": "BDT", "zloty": "PLN",
        "zlotys": "PLN", "peso": "MXN", "pesos": "MXN", "dong": "VND", "rupiah": "IDR", "hryvnia": "UAH",
        "元": "CNY", "円": "JPY", "pound": "GBP", "pounds": "GBP", "sterling": "GBP",
    ]

    /// "australian dollars", "turkish lira": an adjective that fixes which dollar, peso, rupee… is meant.
    static let adjectives: [String: [String: String]] = [
        "us": ["dollar": "USD"], "american": ["dollar": "USD"], "canadian": ["dollar": "CAD"], "australian": ["dollar": "AUD"],
        "singapore": ["dollar": "SGD"], "hk": ["dollar": "HKD"], "hong": ["dollar": "HKD"], "new": ["dollar": "NZD"],
        "taiwan": ["dollar": "TWD"], "mexican": ["peso": "MXN", "dollar": "MXN"], "philippine": ["peso": "PHP"],
        "chilean": ["peso": "CLP"], "argentine": ["peso": "ARS"], "colombian": ["peso": "COP"], "turkish": ["lira": "TRY"],
        "japanese": ["yen": "JPY"], "chinese": ["yuan": "CNY"], "swiss": ["franc": "CHF"], "indian": ["rupee": "INR"],
        "pakistani": ["rupee": "PKR"], "nepalese": ["rupee": "NPR"], "nepali": ["rupee": "NPR"], "lankan": ["rupee": "LKR"],
        "brazilian": ["real": "BRL"], "british": ["pound": "GBP"], "egyptian": ["pound": "EGP"],
        "russian": ["ruble": "RUB", "rouble": "RUB"], "korean": ["won": "KRW"], "swedish": ["krona": "SEK", "kronor": "SEK"],
        "norwegian": ["krone": "NOK", "kroner": "NOK"], "danish": ["krone": "DKK", "kroner": "DKK"], "emirati": ["dirham": "AED"],
        "saudi": ["riyal": "SAR"], "qatari": ["riyal": "QAR"], "kuwaiti": ["dinar": "KWD"], "bahraini": ["dinar": "BHD"],
        "omani": ["rial": "OMR"], "malaysian": ["ringgit": "MYR"], "thai": ["baht": "THB"], "nigerian": ["naira": "NGN"],
    ]

    /// Letters written right before `$` that say which dollar ("C$", "HK$", "US$", "Mex$").
    /// Single letters must touch the `$` ("A$ 20"), so "a $20 card" stays a US dollar.
    static let dollarPrefixes: [String: String] = [
        "us": "USD", "usd": "USD", "c": "CAD", "ca": "CAD", "can": "CAD", "cad": "CAD", "a": "AUD", "au": "AUD", "aud": "AUD",
        "nz": "NZD", "nzd": "NZD", "hk": "HKD", "hkd": "HKD", "s": "SGD", "sg": "SGD", "sgd": "SGD", "mex": "MXN", "mx": "MXN",
        "mxn": "MXN", "r": "BRL", "nt": "TWD", "twd": "TWD",
    ]

    /// Currencies whose amounts have hundredths ("3 dollars 50").
    static func hasCents(_ code: String) -> Bool { code != "JPY" && code != "KRW" && code != "VND" && code != "IDR" }

    /// The ISO code a word spells, allowing "M" for millions ("30 MUSD"); `scale` is 1 or 1e6.
    static func code(_ tok: Token, afterAmount: Bool) -> (code: String, scale: Double)? {
        let w = tok.text
        if codes.contains(w) { return (w == "rmb" ? "CNY" : w.uppercased(), 1) }
        if afterAmount, tok.hasUpper, capitalCodes.contains(w) { return (w.uppercased(), 1) }
        if tok.hasUpper, w.utf8.count == 4, w.hasPrefix("m"), codes.contains(String(w.dropFirst())) {
            return (String(w.dropFirst()).uppercased(), 1_000_000)
        }
        return nil
    }

    /// Words that name a currency by themselves (codes and nouns): the tokenizer marks them, so
    /// the money reader looks up nothing for other words.
    static let amountWords: Set<String> = {
        var w = codes.union(capitalCodes).union(names.keys)
        for c in codes { w.insert("m" + c) }
        return w
    }()

    /// Every currency word, for the list of known (never typo-corrected) words.
    static let words: Set<String> = amountWords.union(adjectives.keys).union(dollarPrefixes.keys)
}
