import Events

/// Lexicon sentiment with negation, intensifiers and emoji.
enum SentimentScorer {
    static let positive: [String: Double] = [
        "good": 1, "great": 1.5, "excellent": 2, "amazing": 2, "awesome": 2, "love": 2, "loved": 2, "loving": 1.5, "happy": 1.5,
        "thanks": 1, "thank": 1, "nice": 1, "perfect": 1.5, "wonderful": 2, "fantastic": 2, "satisfied": 1.5, "best": 1.2,
        "helpful": 1.5, "appreciate": 1.5, "appreciated": 1.5, "accha": 1, "badhiya": 1.5, "mast": 1.5, "shandaar": 2, "super": 1.5,
        "superb": 2, "glad": 1.2, "pleased": 1.5, "impressed": 1.5, "recommend": 1, "beautiful": 1.2, "lovely": 1.5, "delicious": 1.5,
        "tasty": 1.2, "quick": 0.6, "fast": 0.5, "smooth": 1, "shukriya": 1, "dhanyavaad": 1, "dhanyawad": 1, "zabardast": 2, "cool": 0.8,
        "excited": 1.2, "wow": 1.2, "brilliant": 2, "outstanding": 2,
    ]
    static let negative: [String: Double] = [
        "bad": 1.5, "worst": 2.5, "terrible": 2.5, "horrible": 2.5, "awful": 2.5, "pathetic": 2.5, "poor": 1.5, "damaged": 1.5,
        "broken": 1.5, "defective": 1.5, "disappointed": 2, "disappointing": 2, "angry": 2, "frustrated": 2, "useless": 2, "waste": 1.5,
        "fraud": 2.5, "scam": 2.5, "cheated": 2.5, "late": 1, "delayed": 1.2, "rude": 2, "hate": 2, "kharab": 1.5, "bakwas": 2,
        "ghatiya": 2.5, "unacceptable": 2, "ridiculous": 2, "fake": 2, "wrong": 1.2, "missing": 1, "problem": 0.8, "issue": 0.6,
        "complaint": 1.2, "unhappy": 2, "annoyed": 1.5, "irritated": 1.5, "disgusting": 2.5, "expired": 1.5, "faulty": 1.5,
        "sucks": 2, "never": 0.6, "fed": 0.5, "stale": 1.5, "leaking": 1.2, "cracked": 1.2, "torn": 1.2, "dissatisfied": 2,
        "overcharged": 1.8, "upset": 1.8, "sad": 1.2, "worse": 1.8, "slow": 1, "stuck": 1, "failed": 1.2, "refund": 0.4,
    ]
    static let intensifiers: Set<String> = ["very", "really", "so", "extremely", "bahut", "too", "super", "totally", "absolutely", "most"]

    static func score(_ t: [Token], intent: Intent) -> Sentiment {
        label(raw(t), intent: intent)
    }

    static func label(_ raw: Double, intent: Intent) -> Sentiment {
        var total = raw
        switch intent {
        case .complaint: total -= 1.2
        case .thanks: total += 1
        case .optOut: total -= 0.5
        default: break
        }
        if total >= 0.9 { return .positive }
        if total <= -0.9 { return .negative }
        return .neutral
    }

    /// Lexicon score: positive above 0, negative below.
    static func raw(_ t: [Token]) -> Double {
        var total = 0.0
        var k = 0
        while k < t.count {
            var v = 0.0
            if t[k].kind == .word, t[k].cls.contains(.sentiment) {
                if let p = positive[t[k].norm] { v = p } else if let n = negative[t[k].norm] { v = -n }
                if v != 0 {
                    // "not good", "not bad", "nahi accha"
                    var negated = false
                    var j = k - 1
                    var steps = 0
                    while j >= 0, steps < 3, t[j].kind != .punct {
                        if t[j].cls.contains(.negator) { negated = true; break }
                        j -= 1; steps += 1
                    }
                    if k + 1 < t.count, t[k + 1].norm == "nahi" { negated = true }
                    if negated { v = v > 0 ? -v * 0.9 : -v * 0.5 }
                    if k > 0, intensifiers.contains(t[k - 1].norm) { v *= 1.5 }
                }
            } else if t[k].kind == .emoji {
                v = emoji(t[k].text)
            } else if t[k].isPunct("!"), k > 0, t[k - 1].isPunct("!") {
                v = total < 0 ? -0.3 : 0
            }
            total += v
            k += 1
        }
        return total
    }

    static func emoji(_ s: String) -> Double {
        guard let v = s.unicodeScalars.first?.value else { return 0 }
        switch v {
        case 0x1F600...0x1F60D, 0x1F617...0x1F61A, 0x1F642, 0x1F929, 0x1F970, 0x1F44D, 0x1F44C, 0x1F64F, 0x2764, 0x1F495...0x1F49F,
             0x1F389, 0x1F38A, 0x2705, 0x1F60E, 0x1F31F, 0x2B50, 0x1F525, 0x1F4AF, 0x1F44F:
            return 1.2
        case 0x1F620, 0x1F621, 0x1F92C, 0x1F624, 0x1F44E, 0x1F494, 0x1F61E, 0x1F61F, 0x1F622, 0x1F62D, 0x1F629, 0x1F62B, 0x1F612,
             0x1F615, 0x1F641, 0x2639, 0x1F92E, 0x1F926, 0x1F611, 0x1F610:
            return -1.2
        default:
            return 0
        }
    }
}
