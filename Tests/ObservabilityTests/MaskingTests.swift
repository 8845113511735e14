import Foundation
import Logging
import Testing

@testable import Observability

@Suite struct MaskingTests {
    @Test(arguments: [
        ("call +91 98765 43210 now", "call +91 ***** *3210 now"),
        ("call +919876543210", "call +91******3210"),
        ("my number 9876543210.", "my number ******3210."),
        ("(555) 123-0143", "(***) ***-0143"),
        ("mob9876543210", "mob******3210"),
        ("098765-43210", "******-*3210"),
    ])
    func phonesKeepCountryCodeAndLastFourDigits(input: String, expected: String) {
        #expect(LogMasking.mask(input) == expected)
    }

    @Test(arguments: [
        ("mail asha@example.com", "mail a***@example.com"),
        ("<Asha.Rao+leads@Example.co.in>", "<A***@Example.co.in>"),
        ("x@y.org and z@w.net", "x***@y.org and z***@w.net"),
    ])
    func emailsKeepFirstLetterAndDomain(input: String, expected: String) {
        #expect(LogMasking.mask(input) == expected)
    }

    @Test func urlPasswordsAreRedacted() {
        #expect(LogMasking.mask("redis://:s3cr3t@cache:6379/0") == "redis://:****@cache:6379/0")
        #expect(LogMasking.mask("postgres://app:hunter2@db:5432/leads") == "postgres://app:****@db:5432/leads")
    }

    @Test(arguments: [
        "4bf92f3577b34da6a3ce929d0e0e4736",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "7d8b3c41-d818-4aa5-a937-018e1bb8a4f5",
        "12345678-9012-4aa5-a937-018e1bb8a4f5",
        "2025-10-25T10:30:00Z",
        "2025-10-25 10:30",
        "0.123456789",
        "price 50000 for 2",
        "no digits or at-signs here",
    ])
    func identifiersDatesAndSmallNumbersStay(input: String) {
        #expect(LogMasking.mask(input) == input)
    }

    @Test func trustedKeysAreNotMaskedAndSecretKeysAreRedacted() {
        #expect(LogMasking.mask("123456789012", key: "kafka.offset") == "123456789012")
        #expect(LogMasking.mask("123456789012", key: "lead.id") == "********9012")
        #expect(LogMasking.isSecretKey("LLM_API_KEY"))
        #expect(LogMasking.isSecretKey("sasl.password"))
        #expect(!LogMasking.isSecretKey("kafka.topic"))
    }

    /// Property: a phone number (any common written form) or an email inside random text never
    /// survives masking, and masking is idempotent.
    @Test func generatedContactsNeverSurvive() {
        var generator = SeededGenerator(seed: 7)
        let fillers = ["hi", "call me on", "pls send price", "₹500", "2 pcs", "email:", "(", ")", ",", "kal 5 baje", "é", "🙂", "-", "."]
        for _ in 0..<2000 {
            let digits = (0..<10).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            let head5 = String(digits.prefix(5)), tail5 = String(digits.suffix(5))
            let area = String(digits.prefix(3)), exchange = String(digits.dropFirst(3).prefix(3)), line = String(digits.suffix(4))
            let formats: [String] = [
                digits, "+91\(digits)", "+91 \(head5) \(tail5)", "0\(head5)-\(tail5)", "(\(area)) \(exchange)-\(line)", "\(digits) \(digits)",
            ]
            let phone = formats[Int.random(in: 0..<formats.count, using: &generator)]
            let local = String((0..<Int.random(in: 2...8, using: &generator)).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789._".randomElement(using: &generator)! })
            let email = "z\(local)@example.com"
            var parts = (0..<4).map { _ in fillers.randomElement(using: &generator)! }
            parts.insert(phone, at: Int.random(in: 0...parts.count, using: &generator))
            parts.insert(email, at: Int.random(in: 0...parts.count, using: &generator))
            let text = parts.joined(separator: " ")
            let masked = LogMasking.mask(text)
            #expect(!masked.contains(digits.prefix(6)), "\(text) → \(masked)")
            #expect(!masked.contains("z\(local)@"), "\(text) → \(masked)")
            #expect(LogMasking.mask(masked) == masked, "not idempotent: \(masked)")
        }
    }

    @Test func randomUnicodeNeverCrashes() {
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<500 {
            let scalars = (0..<Int.random(in: 0...80, using: &generator)).compactMap { _ -> Unicode.Scalar? in
                let pick = Int.random(in: 0..<4, using: &generator)
                switch pick {
                case 0: return Unicode.Scalar(UInt8.random(in: 0x20...0x7e, using: &generator))
                case 1: return "0123456789+-.() @:/".unicodeScalars.randomElement(using: &generator)
                default: return Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &generator))
                }
            }
            let text = String(String.UnicodeScalarView(scalars))
            _ = LogMasking.mask(text)
        }
    }
}

@Suite struct LogHandlerTests {
    func render(_ format: MaskingLogHandler.Format, message: Logger.Message, metadata: Logger.Metadata) -> String {
        let event = LogEvent(level: .debug, message: message, metadata: nil, source: "tests", file: #fileID, function: #function, line: #line)
        return MaskingLogHandler.render(event: event, metadata: metadata, label: "ai-worker", format: format, time: Date(timeIntervalSince1970: 1_761_388_200.25))
    }

    @Test func jsonLineHasFieldsAndMaskedValues() throws {
        let line = render(
            .json, message: "Event processed",
            metadata: [
                "event.id": "7d8b3c41-d818-4aa5-a937-018e1bb8a4f5", "kafka.offset": "123456789012", "trace.id": "4bf92f3577b34da6a3ce929d0e0e4736",
                "text": "call 9876543210 or asha@example.com \"quoted\"\n", "sasl.password": "hunter2", "level": "shadow",
                "nested": .dictionary(["phones": .array(["+919876543210"])]),
            ]
        )
        #expect(line.hasSuffix("}\n"))
        #expect(!line.dropLast().contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["timestamp"] as? String == "2025-10-25T10:30:00.250Z")
        #expect(object["level"] as? String == "debug")
        #expect(object["message"] as? String == "Event processed")
        #expect(object["logger"] as? String == "ai-worker")
        #expect(object["event.id"] as? String == "7d8b3c41-d818-4aa5-a937-018e1bb8a4f5")
        #expect(object["kafka.offset"] as? String == "123456789012")
        #expect(object["trace.id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(object["text"] as? String == "call ******3210 or a***@example.com \"quoted\"\n")
        #expect(object["sasl.password"] as? String == "****")
        #expect(object["metadata.level"] as? String == "shadow")
        #expect((object["nested"] as? [String: Any])?["phones"] as? [String] == ["+91******3210"])
        #expect(!line.contains("9876543210") && !line.contains("asha@") && !line.contains("hunter2"))
    }

    @Test func textLineIsOneMaskedLine() {
        let line = render(.text, message: "Reached asha@example.com", metadata: ["lead.id": "L1", "phone": "+919876543210"])
        #expect(line == "2025-10-25T10:30:00.250Z DEBUG [ai-worker] Reached a***@example.com lead.id=L1 phone=+91******3210\n")
    }
}

/// A deterministic generator for property tests (SplitMix64).
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
