/// Shared word tables.
enum Words {
    static let units: [String: String] = [
        "kg": "kg", "kgs": "kg", "kilo": "kg", "kilos": "kg", "kilogram": "kg", "kilograms": "kg", "kilogramme": "kg",
        "g": "g", "gm": "g", "gms": "g", "gram": "g", "grams": "g", "gramme": "g", "grm": "g",
        "l": "l", "ltr": "l", "ltrs": "l", "litre": "l", "litres": "l", "liter": "l", "liters": "l", "lt": "l",
        "ml": "ml", "pc": "pcs", "pcs": "pcs", "piece": "pcs", "pieces": "pcs", "peice": "pcs", "peices": "pcs", "nos": "pcs",
        "unit": "units", "units": "units", "box": "box", "boxes": "box", "packet": "pack", "packets": "pack", "pack": "pack",
        "packs": "pack", "pkt": "pack", "pkts": "pack", "pair": "pair", "pairs": "pair", "set": "set", "sets": "set",
        "bottle": "bottle", "bottles": "bottle", "bag": "bag", "bags": "bag", "carton": "carton", "cartons": "carton",
        "meter": "m", "meters": "m", "metre": "m", "metres": "m", "mtr": "m", "mtrs": "m", "ft": "ft", "feet": "ft", "foot": "ft",
        "inch": "in", "inches": "in", "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb", "ton": "t", "tons": "t", "tonne": "t",
        "tonnes": "t", "dozen": "dozen", "dozens": "dozen", "plate": "plate", "plates": "plate", "cup": "cup", "cups": "cup",
        "can": "can", "cans": "can", "jar": "jar", "jars": "jar", "roll": "roll", "rolls": "roll", "sheet": "sheet", "sheets": "sheet",
        "strip": "strip", "strips": "strip", "tablet": "tablet", "tablets": "tablet", "sack": "sack", "sacks": "sack",
        "quintal": "quintal", "quintals": "quintal", "ream": "ream", "reams": "ream", "crate": "crate", "crates": "crate",
        "kilometer": "km", "km": "km", "cm": "cm", "mm": "mm", "sqft": "sqft", "gb": "GB", "tb": "TB",
    ]
    /// Container units: "3 boxes of chocolates" names a product after "of"; "3 boxes" alone is the product.
    static let containers: Set<String> = ["box", "pack", "bottle", "bag", "carton", "plate", "cup", "can", "jar", "roll", "sheet", "strip", "sack", "crate", "set", "pair", "ream"]

    /// Words that never start or belong to a product noun phrase.
    static let function: Set<String> = [
        "a", "an", "the", "of", "for", "to", "and", "or", "but", "with", "without", "in", "on", "at", "by", "from", "into", "per",
        "is", "are", "was", "were", "be", "been", "am", "i", "me", "my", "we", "us", "our", "you", "your", "u", "ur", "it", "its",
        "this", "that", "these", "those", "there", "here", "he", "she", "they", "them", "their", "his", "her", "what", "which",
        "who", "when", "where", "why", "how", "please", "pls", "plz", "can", "could", "would", "will", "shall", "should", "may",
        "might", "must", "do", "does", "did", "done", "have", "has", "had", "get", "got", "want", "wanted", "need", "needed",
        "order", "ordered", "buy", "bought", "send", "sent", "deliver", "delivered", "book", "booked", "more", "extra", "each",
        "only", "just", "also", "too", "very", "so", "if", "then", "than", "as", "all", "any", "some", "no", "not", "dont",
        "asap", "today", "tomorrow", "tonight", "now", "by", "before", "after", "till", "until", "within", "about", "around",
        "approx", "approximately", "urgent", "urgently", "quickly", "fast", "soon", "same", "again", "kindly", "thanks", "thank",
        "hi", "hello", "hey", "ok", "okay", "yes", "yeah", "sure", "price", "cost", "rate", "total", "left", "available",
        "chahiye", "chaiye", "chahie", "chahiye.", "mujhe", "muje", "mujhko", "hume", "humein", "hamein", "hai", "hain", "ho", "hoga",
        "ka", "ki", "ke", "ko", "se", "me", "mein", "aur", "bhi", "bhejo", "bhej", "dedo", "de", "do", "dena", "karo", "kar",
        "karna", "kitne", "kitna", "kitni", "kya", "kab", "tak", "abhi", "jaldi", "wala", "wali", "wale", "please.", "asap.",
        "delivery", "deliver", "ship", "shipping", "which", "costs", "cost", "is", "next", "last", "week", "month", "year",
        "days", "day", "hours", "hour", "mins", "minutes", "min", "times", "time", "people", "persons", "person", "guests",
        "yrs", "years", "old", "am", "pm", "baje", "percent", "off", "discount", "rs", "rupees", "inr", "usd", "dollars", "k",
        "lakh", "crore", "thousand", "hundred", "million", "orders", "items", "item", "things", "thing", "stuff", "one", "ones",
        "like", "love", "really", "same", "different", "other", "another", "either", "both", "many", "much", "few",
        "quantity", "qty", "required", "require", "urgent", "immediately", "asap!", "total", "overall", "altogether",
    ]
    /// Heads that cannot be products on their own (time units, people...).
    static let nonProducts: Set<String> = [
        "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes", "min", "mins",
        "hr", "hrs", "time", "times", "people", "person", "persons", "guest", "guests", "member", "members", "adult", "adults",
        "kid", "kids", "child", "children", "star", "stars", "percent", "am", "pm", "baje", "din", "ghante", "log", "saal",
        "second", "seconds", "sec", "secs", "attempt", "attempts", "call", "calls", "message", "messages", "email", "emails",
        "order", "orders", "item", "items", "thing", "things", "night", "nights", "room", "rooms", "seat", "seats", "table",
    ]

    /// Naive English singular form, good enough for product nouns.
    static func singular(_ w: String) -> String {
        let u = Array(w.utf8)
        let n = u.count
        guard n > 3, u[n - 1] == UInt8(ascii: "s") else { return w }
        if u[n - 2] == UInt8(ascii: "s") || u[n - 2] == UInt8(ascii: "u") || u[n - 2] == UInt8(ascii: "i") { return w } // glass, bus, iris
        if n > 4, u[n - 2] == UInt8(ascii: "e"), u[n - 3] == UInt8(ascii: "i") { return String(decoding: u[0..<(n - 3)], as: UTF8.self) + "y" }
        if n > 4, u[n - 2] == UInt8(ascii: "e") {
            let p = u[n - 3]
            if p == UInt8(ascii: "x") || p == UInt8(ascii: "z") || (p == UInt8(ascii: "h") && (u[n - 4] == UInt8(ascii: "c") || u[n - 4] == UInt8(ascii: "s")))
                || (p == UInt8(ascii: "s") && u[n - 4] == UInt8(ascii: "s")) {
                return String(decoding: u[0..<(n - 2)], as: UTF8.self)
            }
        }
        return String(decoding: u[0..<(n - 1)], as: UTF8.self)
    }
}
