import Analysis
import Events
import Foundation
import Testing

@Suite("Dates")
struct DateTests {
    func dates(_ text: String, _ context: AnalysisContext = Fixture.context()) -> [String] {
        Fixture.entities(text, context).dates.map { "\($0.value) \($0.grain.rawValue)" }
    }

    // Reference: Saturday 2025-10-25 10:30 +05:30.
    @Test(arguments: [
        ("tomorrow at 5pm", "2025-10-26T17:00:00+05:30 hour"),
        ("today", "2025-10-25T00:00:00+05:30 day"),
        ("tonight", "2025-10-25T20:00:00+05:30 hour"),
        ("day after tomorrow", "2025-10-27T00:00:00+05:30 day"),
        ("parso", "2025-10-27T00:00:00+05:30 day"),
        ("yesterday", "2025-10-24T00:00:00+05:30 day"),
        ("next Monday", "2025-10-27T00:00:00+05:30 day"),
        ("this Friday", "2025-10-31T00:00:00+05:30 day"),
        ("on Monday", "2025-10-27T00:00:00+05:30 day"),
        ("last Monday", "2025-10-20T00:00:00+05:30 day"),
        ("in 3 days", "2025-10-28T00:00:00+05:30 day"),
        ("in 2 hours", "2025-10-25T12:30:00+05:30 second"),
        ("next week", "2025-10-27T00:00:00+05:30 week"),
        ("next month", "2025-11-01T00:00:00+05:30 month"),
        ("this weekend", "2025-10-24T18:00:00+05:30 hour"),
        ("end of the month", "2025-10-31T00:00:00+05:30 day"),
        ("by 25/10", "2025-10-25T00:00:00+05:30 day"),
        ("26-10-2025", "2025-10-26T00:00:00+05:30 day"),
        ("2025-11-03", "2025-11-03T00:00:00+05:30 day"),
        ("Oct 28", "2025-10-28T00:00:00+05:30 day"),
        ("28th October", "2025-10-28T00:00:00+05:30 day"),
        ("25th of October 2026", "2026-10-25T00:00:00+05:30 day"),
        ("on the 3rd", "2025-11-03T00:00:00+05:30 day"),
        ("5 Jan", "2026-01-05T00:00:00+05:30 day"),
        ("at 5pm", "2025-10-25T17:00:00+05:30 hour"),
        ("9am", "2025-10-26T09:00:00+05:30 hour"),
        ("17:30", "2025-10-25T17:30:00+05:30 minute"),
        ("5:30 in the evening", "2025-10-25T17:30:00+05:30 minute"),
        ("5 p.m.", "2025-10-25T17:00:00+05:30 hour"),
        ("noon", "2025-10-25T12:00:00+05:30 hour"),
        ("call at 5", "2025-10-25T17:00:00+05:30 hour"),
        ("tomorrow morning", "2025-10-26T09:00:00+05:30 hour"),
        ("this evening", "2025-10-25T18:00:00+05:30 hour"),
        ("kal shaam 6 baje", "2025-10-26T18:00:00+05:30 hour"),
        ("kal subah 10 baje", "2025-10-26T10:00:00+05:30 hour"),
        ("25th Oct at 17:30", "2025-10-25T17:30:00+05:30 minute"),
        ("next Monday morning", "2025-10-27T09:00:00+05:30 hour"),
    ])
    func kolkata(_ text: String, _ expected: String) {
        #expect(dates(text) == [expected], "\(text)")
    }

    @Test func daylightSavingTime() {
        let ny = TimeZone(identifier: "America/New_York")!
        // Saturday 2025-11-01 12:00 EDT; clocks go back on Sunday 2025-11-02.
        let fallRef = Date(timeIntervalSince1970: 1_762_012_800)
        let fall = Fixture.context(reference: fallRef, zone: ny, currency: "USD", country: "US")
        #expect(dates("tomorrow at 5pm", fall) == ["2025-11-02T17:00:00-05:00 hour"])
        #expect(dates("today at 9pm", fall) == ["2025-11-01T21:00:00-04:00 hour"])
        #expect(dates("next week", fall) == ["2025-11-03T00:00:00-05:00 week"])
        // Saturday 2026-03-07 12:00 EST; clocks go forward on Sunday 2026-03-08.
        let springRef = Date(timeIntervalSince1970: 1_772_902_800)
        let spring = Fixture.context(reference: springRef, zone: ny, currency: "USD", country: "US")
        #expect(dates("tomorrow at 5pm", spring) == ["2026-03-08T17:00:00-04:00 hour"])
        #expect(dates("tomorrow at 2:30am", spring).count == 1) // a local time that does not exist still resolves
        // US order for numeric dates.
        #expect(dates("on 11/3", spring) == ["2026-11-03T00:00:00-05:00 day"])
    }

    @Test func offsetOnlyZone() {
        let ctx = Fixture.context(reference: Date(timeIntervalSince1970: 1_360_650_600), zone: TimeZone(secondsFromGMT: -7200)!, country: "US")
        // 2013-02-12T04:30:00-02:00 (a Tuesday)
        #expect(dates("tomorrow", ctx) == ["2013-02-13T00:00:00-02:00 day"])
        #expect(dates("next tuesday", ctx) == ["2013-02-19T00:00:00-02:00 day"])
    }

    @Test(arguments: [
        "good morning", "24/7 support", "rated 4/5", "1/2 kg sugar", "20-30k budget", "Sat Sri Akal ji", "We'd like 2",
        "may I know the price", "version 2.5.1", "have a good weekend", "the 4th floor", "do you deliver on sundays?",
    ])
    func nearMisses(_ text: String) {
        #expect(dates(text).isEmpty, "\(text)")
    }

    @Test func textSpansTheExpression() {
        let d = Fixture.entities("pls deliver tomorrow at 5pm sharp").dates
        #expect(d.map(\.text) == ["tomorrow at 5pm"])
    }
}
