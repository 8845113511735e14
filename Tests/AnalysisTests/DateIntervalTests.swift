import Analysis
import Events
import Foundation
import Testing

/// Intervals (by their start), clock grains and spans. Reference: Saturday 2025-10-25 10:30 +05:30.
@Suite("Date intervals and spans")
struct DateIntervalTests {
    func dates(_ text: String, country: String = "IN") -> [String] {
        Fixture.entities(text, Fixture.context(country: country)).dates.map { "\($0.value) \($0.grain.rawValue)" }
    }

    @Test(arguments: [
        // The start borrows the end's half of the day, day, month and year.
        ("open 4 to 7pm", "2025-10-25T16:00:00+05:30 hour"),
        ("free between 10 and 11:30am tomorrow", "2025-10-26T10:00:00+05:30 hour"),
        ("away from 9 till 14 of December", "2025-12-09T00:00:00+05:30 day"),
        ("closed 2 - 6 Jan 2027", "2027-01-02T00:00:00+05:30 day"),
        ("the sale runs Dec-Mar 2026", "2025-12-01T00:00:00+05:30 month"),
        ("figures from 2019 to 2022", "2019-01-01T00:00:00+05:30 year"),
        ("between March and May", "2026-03-01T00:00:00+05:30 month"),
        ("stay 3 Feb to 9 Feb 2027", "2027-02-03T00:00:00+05:30 day"),
    ])
    func intervalStarts(_ text: String, _ start: String) {
        #expect(dates(text).first == start, "\(text): \(dates(text))")
    }

    @Test func bothEndsAreReported() {
        #expect(dates("from 28th Oct to 30th Oct") == ["2025-10-28T00:00:00+05:30 day", "2025-10-30T00:00:00+05:30 day"])
    }

    @Test(arguments: [
        // Written minutes and seconds keep their grain; a lone a/p is am/pm.
        ("at 11:00 am", "2025-10-25T11:00:00+05:30 minute"),
        ("18:45:10 sharp", "2025-10-25T18:45:10+05:30 second"),
        ("pickup 6p", "2025-10-25T18:00:00+05:30 hour"),
        // Spans: exact moments count to the second; days back and from another day.
        ("in 45 minutes", "2025-10-25T11:15:00+05:30 second"),
        ("3 days ago", "2025-10-22T00:00:00+05:30 day"),
        ("a week ago", "2025-10-18T00:00:00+05:30 day"),
        ("two months ago", "2025-08-25T00:00:00+05:30 day"),
        ("5 days from tomorrow", "2025-10-31T00:00:00+05:30 day"),
        ("2 days after next Monday", "2025-10-29T00:00:00+05:30 day"),
        ("one week before 10 Nov", "2025-11-03T00:00:00+05:30 day"),
    ])
    func clockAndSpans(_ text: String, _ expected: String) {
        #expect(dates(text) == [expected], "\(text): \(dates(text))")
    }

    @Test(arguments: ["This may work", "3am3xyz", "ratio 30/4.85", "we may go"])
    func notDates(_ text: String) {
        #expect(dates(text).isEmpty, "\(text): \(dates(text))")
    }
}
