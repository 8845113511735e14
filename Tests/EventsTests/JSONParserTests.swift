import Foundation
import Testing

@testable import Events

@Suite struct JSONParserTests {
    @Test func parsesNestedDocument() throws {
        let value = try JSONParser.parse(#"{"a": [1, -2.5e3, true, null, "x\u00e9\n"], "b": {"c": "\ud83d\ude00"}}"#)
        #expect(value["a"] == .array([.number(1), .number(-2500), .bool(true), .null, .string("xé\n")]))
        #expect(value["b"]?["c"] == .string("😀"))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "tru", "{} x", "\"a\u{01}\"", "[1 2]", "{\"a\" 1}",
    ])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(deep) }
    }

    /// Property: whatever the writer produces, the parser reads back to the same value.
    @Test func writerOutputRoundTrips() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let value = randomValue(depth: 0, using: &generator)
            var writer = JSONWriter()
            writer.value(value)
            let parsed = try JSONParser.parse(writer.bytes)
            #expect(parsed == value)
        }
    }

    /// Property: random bytes never crash the parser; it either parses or throws.
    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = Array(#"{}[]",:0123456789.-eE truefalsnl\u"#.utf8) + [0xC3, 0x28, 0xF0, 0x9F, 0x98, 0x80, 0x00]
        for _ in 0..<5000 {
            let count = Int.random(in: 0..<40, using: &generator)
            let bytes = (0..<count).map { _ in alphabet.randomElement(using: &generator)! }
            _ = try? JSONParser.parse(bytes)
        }
    }

    private func randomValue(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let choice = Int.random(in: 0..<(depth > 3 ? 4 : 6), using: &generator)
        switch choice {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .number(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)) / [1, 4, 100][Int.random(in: 0..<3, using: &generator)])
        case 3:
            let scalars = (0..<Int.random(in: 0..<12, using: &generator)).map { _ in
                ["a", "é", "\"", "\\", "\n", "\u{01}", "😀", "ह", "\u{202E}", " "].randomElement(using: &generator)!
            }
            return .string(scalars.joined())
        case 4: return .array((0..<Int.random(in: 0..<4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            var object = JSONObject()
            for index in 0..<Int.random(in: 0..<4, using: &generator) { object["k\(index)"] = randomValue(depth: depth + 1, using: &generator) }
            return .object(object)
        }
    }
}

/// A small deterministic generator (SplitMix64) so property tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct JSONObjectTests {
    /// Look-ups, replacement and removal agree with a dictionary on both sides of the index
    /// threshold; member order is kept.
    @Test func behavesLikeAnOrderedDictionary() {
        var generator = SeededGenerator(seed: 3)
        for size in [0, 5, JSONObject.indexThreshold - 1, JSONObject.indexThreshold, 40] {
            var object = JSONObject()
            var model: [String: Double] = [:]
            var order: [String] = []
            for step in 0..<(size * 3) {
                let key = "k\(Int.random(in: 0..<max(1, size), using: &generator))"
                if step % 7 == 6 {
                    object[key] = nil
                    model[key] = nil
                    order.removeAll { $0 == key }
                } else {
                    if model[key] == nil { order.append(key) }
                    object[key] = .number(Double(step))
                    model[key] = Double(step)
                }
                #expect(object.keys == order)
                for (key, value) in model { #expect(object[key] == .number(value)) }
            }
        }
    }
}
