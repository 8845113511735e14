import Foundation

/// The locale hints events and `analyze` lines may carry, validated one way everywhere:
/// ISO 4217 currencies and ISO 3166 alpha-2 regions known to Foundation, compared upper-cased.
public enum LocaleCodes {
    /// The upper-cased code when it is a known ISO 4217 currency; nil otherwise.
    public static func currency(_ text: String) -> String? {
        let code = text.uppercased()
        return currencies.contains(code) ? code : nil
    }

    /// The upper-cased code when it is a known ISO 3166 alpha-2 region; nil otherwise.
    public static func country(_ text: String) -> String? {
        let code = text.uppercased()
        return regions.contains(code) ? code : nil
    }

    private static let currencies = Set(Locale.commonISOCurrencyCodes)
    private static let regions = Set(Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 })
}
