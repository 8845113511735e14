import Events

/// Language of the message: `en`, `hi-Latn` (romanized Hindi / Hinglish) or `hi` (Devanagari).
enum LanguageDetector {
    /// Romanized Hindi function words and common verbs that rarely occur in English.
    static let markers: [String: Double] = {
        var m: [String: Double] = [:]
        let strong = """
        hai kya kitne chahiye mujhe nahi kab milega karna karo hoga bhai yaar aap apka aapka mera meri mere kaise kahan kaha kyun kyu \
        abhi jaldi bhejo batao bataye bataiye dijiye wala wali wale tha thi raha rahi gaya gayi hua hui ho mein bhi aur sab kuch bahut \
        accha theek thik haan ji paisa paise wapas vapas dedo karwana chahte sakte sakta milta milti lena dena hum humko humein hamein \
        tum tumhara koi parso aaj subah shaam raat baje din mahina ghante kar diya kiya kijiye krdo kardo karde hogi hoga milegi \
        achha acha bilkul zaroor jarur kripya dhanyavaad shukriya namaste hai. mujhko humko hame hame apna apni apne uska uski unka \
        lekin magar phir fir agar toh bhejna bhejiye aayega ayega aaya aya mila nahin mat ab abhi tak wahan yahan idhar udhar kyunki \
        kaunsa konsa kitna kitni daam khareedna kharidna padega rakh rakho chalega chalo dekh dekho suno bolo bol kehna samajh \
        ghar dukaan dukan saath sath baad pehle pahle
        """
        for w in strong.split(whereSeparator: { $0 == " " || $0 == "\n" }) { m[String(w)] = 1 }
        for w in ["ka", "ki", "ke", "ko", "se", "ne", "na", "kal"] { m[w] = 0.6 }
        return m
    }()

    static func detect(_ tokens: [Token], bytes: [UInt8]) -> String {
        var score = 0.0
        var words = 0
        var devanagari = 0
        for k in tokens.indices where tokens[k].kind == .word {
            words += 1
            if tokens[k].cls.contains(.marker), let w = markers[tokens[k].norm] ?? markers[tokens[k].text] { score += w }
            if tokens[k].cls.isEmpty, let f = tokens[k].text.utf8.first, f == 0xE0, tokens[k].text.unicodeScalars.first.map({ $0.value >= 0x900 && $0.value <= 0x97F }) == true {
                devanagari += 1
            }
        }
        if devanagari * 2 > words && devanagari > 0 { return LanguageCode.devanagariHindi }
        guard words > 0 else { return LanguageCode.english }
        if score >= 2 || (score >= 1 && words <= 4) || (score >= 1.6 && Double(words) <= 8) { return LanguageCode.romanizedHindi }
        return LanguageCode.english
    }
}
