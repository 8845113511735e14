import Testing

@testable import Events

@Suite struct JSONNumberTests {
    private func written(_ value: Double) -> String {
        var writer = JSONWriter(capacity: 32)
        writer.number(value)
        return writer.string
    }

    private func written(_ value: Double, fractionDigits: Int) -> String {
        var writer = JSONWriter(capacity: 32)
        writer.number(value, fractionDigits: fractionDigits)
        return writer.string
    }

    @Test func wholeNumbersHaveNoFraction() {
        #expect(written(0) == "0")
        #expect(written(-0.0) == "0")
        #expect(written(7) == "7")
        #expect(written(-250) == "-250")
        #expect(written(1_500_000) == "1500000")
        #expect(written(4_000_000_000_000_000) == "4000000000000000")
        #expect(written(9_007_199_254_740_992) == "9007199254740992")
        #expect(written(-9_007_199_254_740_992) == "-9007199254740992")
    }

    @Test func fractionsKeepEveryDigitTheyNeed() {
        #expect(written(0.5) == "0.5")
        #expect(written(2.0 / 3.0) == "0.6666666666666666")
        #expect(written(1.0 / 8.0) == "0.125")
        #expect(written(0.1 + 0.2) == "0.30000000000000004")
        #expect(written(-12.75) == "-12.75")
        #expect(written(123_456.789) == "123456.789")
        #expect(written(0.000_125) == "0.000125")
    }

    @Test func veryLargeAndVerySmallUseAnExponent() {
        #expect(written(3e21) == "3e+21")
        #expect(written(-4.5e18) == "-4.5e+18")
        #expect(written(7e-8) == "7e-08")
        #expect(written(Double.greatestFiniteMagnitude) == "1.7976931348623157e+308")
    }

    @Test func nonFiniteIsNull() {
        #expect(written(.infinity) == "null")
        #expect(written(-.infinity) == "null")
        #expect(written(.nan) == "null")
        #expect(written(.nan, fractionDigits: 3) == "null")
    }

    @Test func fractionDigitsRound() {
        #expect(written(0.87654, fractionDigits: 3) == "0.877")
        #expect(written(19.999, fractionDigits: 2) == "20")
        #expect(written(49_999.5, fractionDigits: 2) == "49999.5")
        #expect(written(2.0 / 3.0, fractionDigits: 2) == "0.67")
        #expect(written(6e30, fractionDigits: 2) == "6e+30")
    }

    @Test func integersAndNeighboursAreSeparated() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.int(Int.min)
        writer.int(0)
        writer.int(Int.max)
        writer.number(1.25)
        writer.endArray()
        #expect(writer.string == "[-9223372036854775808,0,9223372036854775807,1.25]")
    }

    /// Property: every finite Double, from any bit pattern, is written as a JSON number that
    /// both the project's parser and Swift's own reading give back exactly.
    @Test func everyFiniteDoubleRoundTrips() throws {
        var generator = SeededGenerator(seed: 2026)
        var values: [Double] = [1.0 / 3.0, .leastNonzeroMagnitude, .leastNormalMagnitude, 9_007_199_254_740_992 + 2, 1e15 + 0.5]
        for _ in 0..<20_000 {
            let bits = UInt64.random(in: .min ... .max, using: &generator)
            let scaled = Double(Int.random(in: -10_000_000...10_000_000, using: &generator)) / [3, 7, 1000, 1e9][Int.random(in: 0..<4, using: &generator)]
            values.append(Double(bitPattern: bits))
            values.append(scaled)
        }
        for value in values where value.isFinite {
            let text = written(value)
            let parsed = try JSONParser.parse(text)
            #expect(parsed == .number(value), "\(text)")
            #expect(Double(text) == value, "\(text)")
        }
    }
}
