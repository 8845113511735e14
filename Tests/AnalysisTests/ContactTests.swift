import Analysis
import Events
import Testing

@Suite("Phones")
struct PhoneTests {
    func phones(_ text: String, country: String = "IN") -> [String] {
        Fixture.entities(text, Fixture.context(country: country)).phones
    }

    @Test(arguments: [
        ("call me on 98765 43210", "+919876543210"),
        ("9876543210", "+919876543210"),
        ("+91 98765-43210", "+919876543210"),
        ("+91-98765 43210", "+919876543210"),
        ("919876543210", "+919876543210"),
        ("09876543210", "+919876543210"),
        ("0091 98765 43210", "+919876543210"),
        ("(+91) 98765 43210", "+919876543210"),
        ("landline 022 2680 1234", "+912226801234"),
        ("+91-80-4123-4567", "+918041234567"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+971 50 123 4567", "+971501234567"),
        ("+44 20 7946 0958", "+442079460958"),
    ])
    func india(_ text: String, _ expected: String) {
        #expect(phones(text) == [expected], "\(text)")
    }

    @Test func defaultRegionUS() {
        #expect(phones("ring (415) 555-2671", country: "US") == ["+14155552671"])
        #expect(phones("1-415-555-2671", country: "US") == ["+14155552671"])
    }

    @Test(arguments: [
        "price ₹9876543210", "order 9876543210 status", "order #98765432", "on 25-10-2025", "2025-10-25",
        "10000 pcs", "Rs. 1,00,000", "12345", "pin 560034", "1234567890", "ORD-9876543210",
    ])
    func nearMisses(_ text: String) {
        #expect(phones(text).isEmpty, "\(text)")
    }
}

@Suite("Emails, URLs, order ids")
struct WebTests {
    @Test func emails() {
        #expect(Fixture.entities("mail John.Doe+shop@Mail.Example.COM.").emails == ["John.Doe+shop@mail.example.com"])
        #expect(Fixture.entities("a@b.co, x_y@sub.domain.in").emails == ["a@b.co", "x_y@sub.domain.in"])
        #expect(Fixture.entities("me@localhost or @handle or a@b").emails.isEmpty)
    }

    @Test func urls() {
        #expect(Fixture.entities("visit www.shop.com/deals or https://example.in/x?y=1.").urls == ["www.shop.com/deals", "https://example.in/x?y=1"])
        #expect(Fixture.entities("see mystore.in").urls == ["mystore.in"])
        #expect(Fixture.entities("mail me at a@shop.com").urls.isEmpty)
        #expect(Fixture.entities("e.g. this, i.e. that, 2.5 kg").urls.isEmpty)
    }

    @Test(arguments: [
        ("where is ORD-48213?", ["ORD-48213"]),
        ("order #48213 not delivered", ["48213"]),
        ("order no. 77345", ["77345"]),
        ("my order number is 123456", ["123456"]),
        ("OD1234567890 status", ["OD1234567890"]),
        ("tracking id AWB12345678", ["AWB12345678"]),
    ])
    func orderIDs(_ text: String, _ expected: [String]) {
        #expect(Fixture.entities(text).orderIDs == expected, "\(text)")
    }

    @Test(arguments: ["I want to order 5000 pcs", "order 2 laptops", "iPhone 15", "COVID19", "order for ₹5000"])
    func orderIDNearMisses(_ text: String) {
        #expect(Fixture.entities(text).orderIDs.isEmpty, "\(text)")
    }
}
