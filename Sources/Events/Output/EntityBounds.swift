/// Caps on what one result may list, so that a result's size is bounded whatever the input
/// (a 250 KB message of digits would otherwise list thousands of quantities). Duplicates are
/// dropped first (the first occurrence stays, order kept); then each list keeps its first
/// `perList` entries and each text is cut to `textCharacters` characters.
public enum EntityBounds {
    public static let perList = 20
    public static let textCharacters = 200
}

extension Entities {
    /// These entities de-duplicated and capped (see `EntityBounds`).
    public func bounded() -> Entities {
        var copy = self
        copy.products = Self.bound(products.map(Self.cut))
        copy.quantities = Self.bound(quantities.map { Quantity(value: $0.value, unit: $0.unit.map(Self.cut), product: $0.product.map(Self.cut)) })
        copy.prices = Self.bound(prices.map { Price(amount: $0.amount, currency: $0.currency, text: Self.cut($0.text), bound: $0.bound) })
        copy.emails = Self.bound(emails.map(Self.cut))
        copy.phones = Self.bound(phones.map(Self.cut))
        copy.dates = Self.bound(dates.map { DateMention(value: $0.value, grain: $0.grain, text: Self.cut($0.text)) })
        copy.orderIDs = Self.bound(orderIDs.map(Self.cut))
        copy.urls = Self.bound(urls.map(Self.cut))
        return copy
    }

    /// True when `bounded()` would change nothing (checked without allocating for short lists).
    public var isBounded: Bool {
        Self.fits(products, text: { $0 }) && Self.fits(quantities, text: { ($0.product?.count ?? 0) >= ($0.unit?.count ?? 0) ? $0.product ?? "" : $0.unit ?? "" })
            && Self.fits(prices, text: \.text) && Self.fits(emails, text: { $0 }) && Self.fits(phones, text: { $0 })
            && Self.fits(dates, text: \.text) && Self.fits(orderIDs, text: { $0 }) && Self.fits(urls, text: { $0 })
    }

    private static func fits<T: Equatable>(_ list: [T], text: (T) -> String) -> Bool {
        guard list.count <= EntityBounds.perList else { return false }
        for (index, element) in list.enumerated() {
            if text(element).count > EntityBounds.textCharacters { return false }
            for earlier in list[..<index] where earlier == element { return false }
        }
        return true
    }

    private static func bound<T: Equatable>(_ list: [T]) -> [T] {
        var kept: [T] = []
        for element in list where !kept.contains(element) {
            kept.append(element)
            if kept.count == EntityBounds.perList { break }
        }
        return kept
    }

    private static func cut(_ text: String) -> String {
        text.count <= EntityBounds.textCharacters ? text : String(text.prefix(EntityBounds.textCharacters))
    }
}
