/// Numbering plans by region and the ITU calling codes, for reading phone numbers.
enum PhonePlans {
    struct Plan: Sendable {
        var code: String
        /// Allowed national significant number lengths.
        var lengths: ClosedRange<Int>
        /// Whether a leading 0 (trunk prefix) is dropped.
        var trunkZero: Bool
    }

    /// Regions a business may be configured with; the plan also validates numbers written with that code.
    static let regions: [String: Plan] = [
        "IN": Plan(code: "91", lengths: 10...10, trunkZero: true),
        "US": Plan(code: "1", lengths: 10...10, trunkZero: false),
        "CA": Plan(code: "1", lengths: 10...10, trunkZero: false),
        "GB": Plan(code: "44", lengths: 9...10, trunkZero: true),
        "AE": Plan(code: "971", lengths: 8...9, trunkZero: true),
        "SG": Plan(code: "65", lengths: 8...8, trunkZero: false),
        "AU": Plan(code: "61", lengths: 9...9, trunkZero: true),
        "DE": Plan(code: "49", lengths: 6...11, trunkZero: true),
        "FR": Plan(code: "33", lengths: 9...9, trunkZero: true),
        "PK": Plan(code: "92", lengths: 9...10, trunkZero: true),
        "BD": Plan(code: "880", lengths: 9...10, trunkZero: true),
        "NP": Plan(code: "977", lengths: 8...10, trunkZero: true),
        "LK": Plan(code: "94", lengths: 9...9, trunkZero: true),
        "SA": Plan(code: "966", lengths: 8...9, trunkZero: true),
        "NZ": Plan(code: "64", lengths: 8...10, trunkZero: true),
        "ZA": Plan(code: "27", lengths: 9...9, trunkZero: true),
        "NG": Plan(code: "234", lengths: 8...10, trunkZero: true),
        "KE": Plan(code: "254", lengths: 9...9, trunkZero: true),
        "MY": Plan(code: "60", lengths: 8...10, trunkZero: true),
        "PH": Plan(code: "63", lengths: 8...10, trunkZero: true),
        "ID": Plan(code: "62", lengths: 8...12, trunkZero: true),
        "BR": Plan(code: "55", lengths: 10...11, trunkZero: true),
        "MX": Plan(code: "52", lengths: 10...10, trunkZero: false),
        "IT": Plan(code: "39", lengths: 6...11, trunkZero: false),
        "ES": Plan(code: "34", lengths: 9...9, trunkZero: false),
        "NL": Plan(code: "31", lengths: 9...9, trunkZero: true),
        "BE": Plan(code: "32", lengths: 8...9, trunkZero: true),
        "CH": Plan(code: "41", lengths: 9...9, trunkZero: true),
        "AT": Plan(code: "43", lengths: 6...13, trunkZero: true),
        "DK": Plan(code: "45", lengths: 8...8, trunkZero: false),
        "SE": Plan(code: "46", lengths: 7...9, trunkZero: true),
        "NO": Plan(code: "47", lengths: 8...8, trunkZero: false),
        "FI": Plan(code: "358", lengths: 6...10, trunkZero: true),
        "PL": Plan(code: "48", lengths: 9...9, trunkZero: false),
        "PT": Plan(code: "351", lengths: 9...9, trunkZero: false),
        "IE": Plan(code: "353", lengths: 7...9, trunkZero: true),
        "RO": Plan(code: "40", lengths: 9...9, trunkZero: true),
        "BG": Plan(code: "359", lengths: 8...9, trunkZero: true),
        "CZ": Plan(code: "420", lengths: 9...9, trunkZero: false),
        "SK": Plan(code: "421", lengths: 9...9, trunkZero: true),
        "HU": Plan(code: "36", lengths: 8...9, trunkZero: true),
        "GR": Plan(code: "30", lengths: 10...10, trunkZero: false),
        "TR": Plan(code: "90", lengths: 10...10, trunkZero: true),
        "RU": Plan(code: "7", lengths: 10...10, trunkZero: false),
        "IL": Plan(code: "972", lengths: 8...9, trunkZero: true),
        "EG": Plan(code: "20", lengths: 9...10, trunkZero: true),
        "MA": Plan(code: "212", lengths: 9...9, trunkZero: true),
        "QA": Plan(code: "974", lengths: 8...8, trunkZero: false),
        "KW": Plan(code: "965", lengths: 8...8, trunkZero: false),
        "OM": Plan(code: "968", lengths: 8...8, trunkZero: false),
        "BH": Plan(code: "973", lengths: 8...8, trunkZero: false),
        "CN": Plan(code: "86", lengths: 10...11, trunkZero: true),
        "HK": Plan(code: "852", lengths: 8...8, trunkZero: false),
        "TW": Plan(code: "886", lengths: 8...9, trunkZero: true),
        "JP": Plan(code: "81", lengths: 9...10, trunkZero: true),
        "KR": Plan(code: "82", lengths: 8...10, trunkZero: true),
        "TH": Plan(code: "66", lengths: 8...9, trunkZero: true),
        "VN": Plan(code: "84", lengths: 9...10, trunkZero: true),
        "AR": Plan(code: "54", lengths: 10...11, trunkZero: true),
        "CL": Plan(code: "56", lengths: 9...9, trunkZero: false),
        "CO": Plan(code: "57", lengths: 10...10, trunkZero: false),
        "PE": Plan(code: "51", lengths: 8...9, trunkZero: true),
    ]

    /// Plans by calling code (one region per code is enough to validate).
    static let byCode: [String: Plan] = {
        var map: [String: Plan] = [:]
        for (_, plan) in regions where map[plan.code] == nil { map[plan.code] = plan }
        return map
    }()

    /// Every assigned ITU-T E.164 country calling code. The codes form a prefix-free set, so
    /// the first of 1, 2 or 3 leading digits found here is the code.
    static let callingCodes: Set<String> = {
        var codes: Set<String> = ["1", "7"]
        let two = [20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58,
                   60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98]
        for c in two { codes.insert(String(c)) }
        let three: [ClosedRange<Int>] = [
            211...212, 213...213, 216...216, 218...218, 220...258, 260...269, 290...291, 297...299, 350...359, 370...382,
            385...387, 389...389, 420...421, 423...423, 500...509, 590...599, 670...670, 672...692, 850...850, 852...853,
            855...856, 880...880, 886...886, 960...968, 970...977, 992...998,
        ]
        for r in three { for c in r { codes.insert(String(c)) } }
        return codes
    }()

    /// The calling code at the start of `digits`, if any.
    static func code(prefixing digits: Substring) -> String? {
        for len in 1...3 where digits.count > len {
            let c = String(digits.prefix(len))
            if callingCodes.contains(c) { return c }
        }
        return nil
    }
}
