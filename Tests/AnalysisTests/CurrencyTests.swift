import Analysis
import Events
import Testing

@Suite("Currencies beyond the configured one")
struct CurrencyTests {
    func prices(_ text: String, currency: String = "INR", country: String = "IN") -> [String] {
        Fixture.entities(text, Fixture.context(currency: currency, country: country)).prices.map {
            String(format: "%.2f %@", $0.amount, $0.currency)
        }
    }

    @Test(arguments: [
        // Which dollar: letters before the sign.
        ("the deal is worth C$ 4.5 million", "4500000.00 CAD"),
        ("rent is hk $ 12,000 a month", "12000.00 HKD"),
        ("tickets at A$30", "30.00 AUD"),
        ("nzd$ 99", "99.00 NZD"),
        ("they paid US$ 700", "700.00 USD"),
        ("a $20 gift card", "20.00 USD"),
        // Named currencies after the amount, with adjectives.
        ("it was 3,200 yen at the station", "3200.00 JPY"),
        ("we got 250 canadian dollars back", "250.00 CAD"),
        ("fees of 40 turkish lira", "40.00 TRY"),
        ("it sold for 12 million pounds", "12000000.00 GBP"),
        ("that is 80 pence each", "0.80 GBP"),
        ("a 25-cent stamp", "0.25 USD"),
        // Symbols of other currencies.
        ("only 5000₩ per box", "5000.00 KRW"),
        ("costs 300 ₽", "300.00 RUB"),
        ("pay 45元 please", "45.00 CNY"),
        // ISO codes glued, before or after, and M for millions.
        ("budget EUR75", "75.00 EUR"),
        ("about 60SGD", "60.00 SGD"),
        ("capex of 12 MEUR", "12000000.00 EUR"),
        ("a 40 USD million loan", "40000000.00 USD"),
        ("priced at 15 TRY", "15.00 TRY"),
    ])
    func reads(_ text: String, _ expected: String) {
        #expect(prices(text) == [expected], "\(text)")
    }

    @Test(arguments: [
        ("that comes to 7 dollars 25 cents", "7.25 USD"),
        ("twelve dollars and ten cents", "12.10 USD"),
        ("it is 9 euros 99.", "9.99 EUR"),
        ("eight dollars and forty", "8.40 USD"),
    ])
    func majorAndMinor(_ text: String, _ expected: String) {
        #expect(prices(text) == [expected], "\(text)")
    }

    @Test(arguments: [
        "2 pounds of rice", "a 2 pound cake", "All 12 of them came", "ALL 3 boxes", "ask Bob 5 times", "we won 3 games in 2019",
        "try 2 of these", "Top 10 picks",
    ])
    func notMoney(_ text: String) {
        #expect(prices(text).isEmpty, "\(text)")
    }
}
