import Analysis
import Events
import Testing

/// Signed and mixed fractions with a slash, single-character fractions, and the Indian scales
/// outside the Indian market.
@Suite("Numeral fractions and scales")
struct NumeralFractionTests {
    let us = Fixture.context(currency: "USD", country: "US")

    func values(_ text: String) -> [Double] {
        Fixture.entities(text, us).quantities.map(\.value)
    }

    static let cases: [(String, Double)] = [
        ("the reading was -5/8", -0.625),
        ("about 2 3/5", 2.6),
        ("it came to 4 1/2", 4.5),
        ("- 3 2/7", -(3 + 2.0 / 7)),
        ("roughly ⅜", 0.375),
        ("2½", 2.5),
        ("7 ¾", 7.75),
        ("⅙", 1.0 / 6),
        ("the count was 2 lakh", 200_000),
        ("we counted 5 crore and forty", 50_000_040),
        ("it is 1.5 lakh", 150_000),
    ]

    @Test(arguments: cases)
    func reads(_ text: String, _ expected: Double) {
        let got = values(text)
        #expect(got.contains { abs($0 - expected) < 1e-9 * max(1, abs(expected)) }, "\(text): \(got)")
    }

    @Test func aSlashPairAfterACountIsNoDate() {
        #expect(Fixture.entities("it came to 4 1/2", us).dates.isEmpty)
        #expect(Fixture.entities("-5/8", us).dates.isEmpty)
        // A pair after a date word, or alone, is still a date.
        #expect(Fixture.entities("deliver on 3/4", us).dates.count == 1)
        #expect(Fixture.entities("3/4", us).dates.count == 1)
        #expect(Fixture.entities("2 pcs on 5/6", us).dates.count == 1)
    }

    @Test func scaledAmountsStayMoneyWhereMoneyIsMeant() {
        #expect(Fixture.entities("budget 40k", us).prices.map(\.amount) == [40_000])
        #expect(Fixture.entities("it costs 3 grand", us).prices.map(\.amount) == [3_000])
        #expect(Fixture.entities("around 40 k", us).prices.map(\.amount) == [40_000])
        #expect(Fixture.entities("budget is 2 lakh", us).prices.map(\.amount) == [200_000])
        #expect(Fixture.entities("we counted 2 lakh", us).prices.isEmpty)
        #expect(Fixture.entities("can do 40 k").prices.map(\.amount) == [40_000])
        #expect(Fixture.entities("2 lakh tak chalega").prices.map(\.amount) == [200_000])
    }
}
