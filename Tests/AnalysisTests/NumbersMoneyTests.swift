import Analysis
import Events
import Testing

@Suite("Money")
struct MoneyTests {
    func amounts(_ text: String, _ context: AnalysisContext = Fixture.context()) -> [String] {
        Fixture.entities(text, context).prices.map { p in
            let a = p.amount == p.amount.rounded() ? String(Int(p.amount)) : String(p.amount)
            return "\(a) \(p.currency)" + (p.bound == .exact ? "" : " \(p.bound.rawValue)")
        }
    }

    @Test(arguments: [
        ("price is ₹1,499", ["1499 INR"]),
        ("Rs. 1,00,000 is too much", ["100000 INR"]),
        ("Rs 500/- only", ["500 INR"]),
        ("INR 2,500.50 paid", ["2500.5 INR"]),
        ("I paid 2,500 rupees", ["2500 INR"]),
        ("500 rupaye ka hai", ["500 INR"]),
        ("budget 50k", ["50000 INR max"]),
        ("around 1.5 lakh", ["150000 INR"]),
        ("₹1.5L for the sofa", ["150000 INR"]),
        ("2 crore flat", ["20000000 INR"]),
        ("two thousand rupees", ["2000 INR"]),
        ("two thousand five hundred rupees", ["2500 INR"]),
        ("$45 by card", ["45 USD"]),
        ("USD 30 shipping", ["30 USD"]),
        ("it costs 20 dollars", ["20 USD"]),
        ("€80 or £70", ["80 EUR", "70 GBP"]),
        ("20 bucks", ["20 USD"]),
    ])
    func amountsAndCurrencies(_ text: String, _ expected: [String]) {
        #expect(amounts(text) == expected, "\(text)")
    }

    @Test func budgetsAndRanges() {
        #expect(amounts("need a laptop under 50k") == ["50000 INR max"])
        #expect(amounts("below ₹2000 please") == ["2000 INR max"])
        #expect(amounts("something above 10,000 rupees") == ["10000 INR min"])
        #expect(amounts("budget between 20 and 30 thousand") == ["20000 INR min", "30000 INR max"])
        #expect(amounts("range 20-30k") == ["20000 INR min", "30000 INR max"])
        #expect(amounts("₹500 - ₹800") == ["500 INR min", "800 INR max"])
    }

    @Test func defaultCurrencyFromContext() {
        #expect(amounts("about 50k", Fixture.context(currency: "USD", country: "US")) == ["50000 USD"])
    }

    @Test(arguments: ["I want 2 laptops", "iphone 15 pro", "call 9876543210", "3 kg rice", "order #48213", "24/7 support", "5 stars"])
    func nearMissesAreNotPrices(_ text: String) {
        #expect(amounts(text).isEmpty, "\(text)")
    }
}

@Suite("Quantities")
struct QuantityTests {
    func quantities(_ text: String, catalog: [String] = []) -> [String] {
        Fixture.entities(text, Fixture.context(catalog: catalog)).quantities.map { q in
            let v = q.value == q.value.rounded() ? String(Int(q.value)) : String(q.value)
            return [v, q.unit, q.product].compactMap { $0 }.joined(separator: " ")
        }
    }

    @Test(arguments: [
        ("I want 2 laptops", ["2 laptop"]),
        ("a dozen eggs", ["12 egg"]),
        ("2 dozen bananas", ["24 banana"]),
        ("three kg rice", ["3 kg rice"]),
        ("5 pcs", ["5 pcs"]),
        ("mujhe 2 chahiye", ["2"]),
        ("half kg dal", ["0.5 kg dal"]),
        ("twenty five chairs", ["25 chair"]),
        ("3 packs of the almond cookies", ["3 pack almond cookie"]),
        ("2 sourdough loaves", ["2 sourdough loaf"]),
        ("2 x Dell Inspiron 15, 1 x Logitech MK270", ["2 dell inspiron 15", "1 logitech mk270"]),
        ("table for 4 people", ["4"]),
        ("Do kilo aloo aur 1 dozen eggs", ["2 kg aloo", "12 egg"]),
    ])
    func counts(_ text: String, _ expected: [String]) {
        #expect(quantities(text) == expected, "\(text)")
    }

    @Test(arguments: [
        "is the iphone 15 available?", "Samsung 27 inch monitor", "3 seater sofa", "deliver in 2 days", "Is this phone 5G?",
        "rated 4/5", "my pincode is 560034", "one of my orders", "2025 model",
    ])
    func nearMissesAreNotQuantities(_ text: String) {
        #expect(quantities(text).isEmpty, "\(text)")
    }

    @Test func catalogNamesWin() {
        let e = Fixture.entities("send 2 iphone 15 pros and a macbok air", Fixture.context(catalog: ["iPhone 15 Pro", "MacBook Air M2"]))
        #expect(e.quantities.first?.product == "iPhone 15 Pro")
        #expect(e.products.contains("MacBook Air M2"))
    }
}
