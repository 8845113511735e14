import Analysis
import Events
import Testing

@Suite("International phones")
struct InternationalPhoneTests {
    func phones(_ text: String, country: String) -> [String] {
        Fixture.entities(text, Fixture.context(country: country)).phones
    }

    @Test(arguments: [
        // +CC with the trunk zero in parentheses, slashes, parentheses around the code.
        ("reach me at +33 (0)1 42 68 53 00", "IN", "+33142685300"),
        ("mobile +49 151/ 2345678", "IN", "+491512345678"),
        ("(+46) 8-123 456 78", "IN", "+46812345678"),
        ("write+31(0)20 555 1234 anytime", "IN", "+31205551234"),
        // 00 and 011 international prefixes, the code as its own group.
        ("dial 0033 6 12 34 56 78", "IN", "+33612345678"),
        ("(0046) 70 123 45 67", "IN", "+46701234567"),
        ("from the US dial 011 44 20 7946 0321", "US", "+442079460321"),
        // A code with no plan of ours is still read.
        ("+420 601 234 567", "IN", "+420601234567"),
        ("+254 712 345678", "US", "+254712345678"),
        // Indian landline with its STD code after +91.
        ("+91 120 431 2280", "US", "+911204312280"),
        // National formats of the configured region.
        ("ring 030 901820 0", "DE", "+49309018200"),
        ("mobile 0612 345 678", "NL", "+31612345678"),
        ("our line 33 12 34 56", "DK", "+4533123456"),
        ("call 0721 - 234 567", "RO", "+40721234567"),
        ("(11) 98765-4321", "BR", "+5511987654321"),
        // North American numbers: leading 1, any area code, dotted, extensions.
        ("1 (212) 555-0147", "US", "+12125550147"),
        ("(123) 555-0199", "US", "+11235550199"),
        ("212.555.0147 ext. 22", "US", "+12125550147"),
        ("212-555-0147x9", "US", "+12125550147"),
        ("Desk:(212)555-0147", "US", "+12125550147"),
        // A foreign code written without +.
        ("call 44 7911 123456", "IN", "+447911123456"),
    ])
    func reads(_ text: String, _ country: String, _ expected: String) {
        #expect(phones(text, country: country) == [expected], "\(text)")
    }

    @Test func dateAfterANumberIsNotPartOfIt() {
        #expect(phones("fax (212) 555-0147 11/05/2024 09:30", country: "US") == ["+12125550147"])
    }

    @Test(arguments: [
        "-4155550147 is a balance", "2,5550147", "12*34-5678901", "7=1234-5678901", "x 2125550147y", "SKU 2125550147b",
        "0.0000000123", "3.14159265358", "16/04/2010", "(212 (5)) 550147", "T01-2125-550147-Z", "9a2-555-0147",
    ])
    func notPhones(_ text: String) {
        #expect(phones(text, country: "US").isEmpty, "\(text)")
    }
}
