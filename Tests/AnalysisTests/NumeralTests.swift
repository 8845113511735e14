import Analysis
import Events
import Testing

@Suite("Numerals")
struct NumeralTests {
    func values(_ text: String) -> [Double] {
        Fixture.entities(text, Fixture.context(currency: "USD", country: "US")).quantities.map(\.value)
    }

    @Test(arguments: [
        ("count came to 7 million", 7_000_000.0),
        ("about three quarters of a million", 750_000),
        ("nine million and a half", 9_500_000),
        ("minus twelve", -12),
        ("the answer is -3.75", -3.75),
        ("a tenth", 0.1),
        ("roughly 2.4e5", 240_000),
        ("one out of four", 0.25),
        ("5 over 8", 0.625),
        ("7 240 318 visitors", 7_240_318),
        ("seven hundred point two five", 700.25),
        ("one and a quarter", 1.25),
        ("two hundred and five", 205),
        ("5 hundred and 7", 507),
        ("sixty - four", 64),
        ("a hundredth", 0.01),
        ("naught point five", 0.5),
        ("it is 12 trillion", 12_000_000_000_000),
    ])
    func reads(_ text: String, _ expected: Double) {
        let got = values(text)
        #expect(got.contains { abs($0 - expected) < 1e-6 * max(1, abs(expected)) }, "\(text): \(got)")
    }

    @Test func marketDecidesWhetherABareAmountIsAPrice() {
        let us = Fixture.context(currency: "USD", country: "US")
        #expect(Fixture.entities("we counted 1,250,000", us).quantities.map(\.value).contains(1_250_000))
        // In India a bare "52,990" or "50k" is a price.
        #expect(Fixture.entities("ok 52,990?").prices.map(\.amount) == [52_990])
        #expect(Fixture.entities("can do 50k").prices.map(\.amount) == [50_000])
    }

    @Test func largeWordNumbersBeforeANoun() {
        #expect(values("nearly five and a half million visitors").contains(5_500_000))
        #expect(values("they sold nine million and a half copies").contains(9_500_000))
    }

    @Test(arguments: [
        "pay half now", "the blue one", "Galaxy S23 price", "size 44", "is the Inspiron 15 in stock", "20% off", "ticket no 5512",
        "rated 4/5 overall", "one with a red lid", "which one is better", "a first class seat", "flat 3 B wing address 12",
    ])
    func notValues(_ text: String) {
        #expect(values(text).isEmpty, "\(text): \(values(text))")
    }
}
