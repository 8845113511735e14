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
        "kilometer": "km", "km": "km", "sqft": "sqft",
    ]
    /// Container units: "3 boxes of chocolates" names a product after "of"; "3 boxes" alone is the product.
    static let containers: Set<String> = ["box", "pack", "bottle", "bag", "carton", "plate", "cup", "can", "jar", "roll", "sheet", "strip", "sack", "crate", "set", "pair", "ream"]

    /// Words that never start or belong to a product noun phrase.
    static let function: Set<String> = [
        "add", "remove", "change", "make", "put", "keep", "karo", "kardo", "krdo", "a", "an", "the", "of", "for", "to",
        "and", "or", "but", "with", "without", "in", "on", "at", "by", "from", "into", "per", "is", "are", "was", "were",
        "be", "been", "am", "i", "me", "my", "we", "us", "our", "you", "your", "u", "ur", "it", "its", "this", "that",
        "these", "those", "there", "here", "he", "she", "they", "them", "their", "his", "her", "what", "which", "who",
        "when", "where", "why", "how", "please", "pls", "plz", "can", "could", "would", "will", "shall", "should", "may",
        "might", "must", "do", "does", "did", "done", "have", "has", "had", "get", "got", "want", "wanted", "need",
        "needed", "order", "ordered", "buy", "bought", "send", "sent", "deliver", "delivered", "book", "booked", "more",
        "extra", "each", "only", "just", "also", "too", "very", "so", "if", "then", "than", "as", "all", "any", "some",
        "no", "not", "dont", "asap", "today", "tomorrow", "tonight", "now", "before", "after", "till", "until", "within",
        "about", "around", "approx", "approximately", "urgent", "urgently", "quickly", "fast", "soon", "same", "again",
        "kindly", "thanks", "thank", "hi", "hello", "hey", "ok", "okay", "yes", "yeah", "sure", "price", "cost", "rate",
        "total", "left", "available", "chahiye", "chaiye", "chahie", "chahiye.", "mujhe", "muje", "mujhko", "hume",
        "humein", "hamein", "hai", "hain", "ho", "hoga", "ka", "ki", "ke", "ko", "se", "mein", "aur", "bhi", "bhejo",
        "bhej", "dedo", "de", "dena", "kar", "karna", "kitne", "kitna", "kitni", "kya", "kab", "tak", "abhi", "jaldi",
        "wala", "wali", "wale", "please.", "asap.", "delivery", "ship", "shipping", "costs", "next", "last", "week",
        "month", "year", "days", "day", "hours", "hour", "mins", "minutes", "min", "times", "time", "people", "persons",
        "person", "guests", "yrs", "years", "old", "pm", "baje", "percent", "off", "discount", "rs", "rupees", "inr", "usd",
        "dollars", "k", "lakh", "crore", "thousand", "hundred", "million", "orders", "items", "item", "things", "thing",
        "stuff", "one", "ones", "like", "love", "really", "different", "other", "another", "either", "both", "many", "much",
        "few", "quantity", "qty", "required", "require", "immediately", "overall", "altogether", "instead", "anymore",
        "version", "under", "below", "above", "upto", "over", "between", "near", "ready", "liye", "ya", "ghar", "pe", "par",
        "sab", "kal", "aaj", "parso",
    ]
    /// Heads that cannot be products on their own (time units, people...).
    static let nonProducts: Set<String> = [
        "day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours", "minute", "minutes", "min", "mins",
        "hr", "hrs", "time", "times", "people", "person", "persons", "guest", "guests", "member", "members", "adult", "adults",
        "kid", "kids", "child", "children", "star", "stars", "percent", "am", "pm", "baje", "din", "ghante", "log", "saal",
        "second", "seconds", "sec", "secs", "attempt", "attempts", "call", "calls", "message", "messages", "email", "emails",
        "order", "orders", "night", "nights", "floor", "floors", "account", "accounts",
        "baat", "baar", "bar", "din", "time", "cheez", "chiz", "saal", "mahina", "mahine",
    ]

    /// Head counts: "2 log", "50 guests".
    /// "3 seater sofa", "two-tier cake": the number describes the product, it does not count it.
    static let attributeNouns: Set<String> = ["seater", "tier", "bhk", "storey", "layer", "layered", "door", "star", "inch", "inches", "cm", "mm", "ft", "feet", "year", "month", "day", "speed", "burner", "way", "piece-set", "watt", "w", "mp", "ply"]
    static let people: Set<String> = ["item", "items", "thing", "things", "nos", "numbers", "people", "persons", "person", "guests", "guest", "log", "logo", "logon", "adults", "adult", "kids", "children", "members", "pax", "ppl", "heads", "jan", "students"]
    static let addressNouns: Set<String> = ["road", "rd", "street", "st", "lane", "nagar", "sector", "block", "floor", "colony", "society", "apartment", "apartments", "apt", "flat", "house", "plot", "cross", "main", "phase", "stage", "marg", "chowk", "layout", "avenue", "ave", "tower", "wing"]

    static let irregularPlurals: [String: String] = [
        "loaves": "loaf", "leaves": "leaf", "shelves": "shelf", "halves": "half", "knives": "knife", "wolves": "wolf",
        "calves": "calf", "thieves": "thief", "men": "man", "women": "woman", "children": "child", "feet": "foot",
        "teeth": "tooth", "mice": "mouse", "geese": "goose", "potatoes": "potato", "tomatoes": "tomato", "mangoes": "mango",
        "heroes": "hero", "echoes": "echo", "dishes": "dish",
    ]
    /// Nouns ending in -ie whose plural is -ies.
    static let ieNouns: Set<String> = [
        "cookie", "movie", "smoothie", "brownie", "hoodie", "selfie", "pie", "tie", "calorie", "rookie", "zombie", "goalie",
        "lingerie", "veggie", "techie", "sweetie", "auntie", "budgie", "beanie", "bootie", "freebie", "newbie", "boogie", "coolie",
    ]

    /// Naive English singular form, good enough for product nouns.
    static func singular(_ w: String) -> String {
        if let irregular = irregularPlurals[w] { return irregular }
        let u = Array(w.utf8)
        let n = u.count
        guard n >= 3, u[n - 1] == UInt8(ascii: "s") else { return w }
        let p = u[n - 2]
        if n == 3 {
            // "acs", "tvs", "pcs"
            return ASCII.isLetter(p) && !"aeiousy".utf8.contains(p) ? String(decoding: u[0..<2], as: UTF8.self) : w
        }
        if p == UInt8(ascii: "s") || p == UInt8(ascii: "u") || p == UInt8(ascii: "i") { return w } // glass, bus, iris
        if n > 4, p == UInt8(ascii: "e"), u[n - 3] == UInt8(ascii: "i") {
            let stem = String(decoding: u[0..<(n - 3)], as: UTF8.self)
            return ieNouns.contains(stem + "ie") ? stem + "ie" : stem + "y"
        }
        if n > 4, p == UInt8(ascii: "e") {
            let q = u[n - 3]
            if q == UInt8(ascii: "x") || q == UInt8(ascii: "z") || (q == UInt8(ascii: "h") && (u[n - 4] == UInt8(ascii: "c") || u[n - 4] == UInt8(ascii: "s")))
                || (q == UInt8(ascii: "s") && u[n - 4] == UInt8(ascii: "s")) {
                return String(decoding: u[0..<(n - 2)], as: UTF8.self)
            }
        }
        return String(decoding: u[0..<(n - 1)], as: UTF8.self)
    }
}
