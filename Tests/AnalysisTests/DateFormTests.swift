import Analysis
import Events
import Foundation
import Testing

/// Calendar forms. Reference: Saturday 2025-10-25 10:30 +05:30.
@Suite("Date forms")
struct DateFormTests {
    func dates(_ text: String) -> [String] {
        Fixture.entities(text).dates.map { "\($0.value) \($0.grain.rawValue)" }
    }

    @Test(arguments: [
        // Months and years with separators or names, in either order.
        ("report for 2024-07", "2024-07-01T00:00:00+05:30 month"),
        ("due 09/2026", "2026-09-01T00:00:00+05:30 month"),
        ("back on 14/Mar/2026", "2026-03-14T00:00:00+05:30 day"),
        ("released 2026, jan", "2026-01-01T00:00:00+05:30 month"),
        // Days in words.
        ("meet on the twelfth of November", "2025-11-12T00:00:00+05:30 day"),
        ("see you December twenty first", "2025-12-21T00:00:00+05:30 day"),
        ("arrives third of January 2027", "2027-01-03T00:00:00+05:30 day"),
        // A weekday with its day of the month: this month if it fits, else the next that does.
        ("Tuesday the 28th works", "2025-10-28T00:00:00+05:30 day"),
        ("Wed 5th", "2025-11-05T00:00:00+05:30 day"),
        ("Sunday, November 2", "2025-11-02T00:00:00+05:30 day"),
        // Weeks start on Monday; week one holds the first Thursday.
        ("the week of the 12th of November", "2025-11-10T00:00:00+05:30 week"),
        ("first week of December", "2025-12-01T00:00:00+05:30 week"),
        ("week 48", "2025-11-24T00:00:00+05:30 week"),
        ("the second week of 2026", "2026-01-05T00:00:00+05:30 week"),
        ("Meet me in June", "2026-06-01T00:00:00+05:30 month"),
        // The n-th or last weekday of a month; years after "of"/"in" and in words.
        ("the first friday of december", "2025-12-05T00:00:00+05:30 day"),
        ("the last Monday of next month", "2025-11-24T00:00:00+05:30 day"),
        ("born 12 March nineteen ninety one", "1991-03-12T00:00:00+05:30 day"),
        ("in June of 2027", "2027-06-01T00:00:00+05:30 month"),
        ("on 3 Nov in 2026", "2026-11-03T00:00:00+05:30 day"),
        ("due Nov 20, 2026", "2026-11-20T00:00:00+05:30 day"),
        // An am/pm written stays; a part of the day only moves a bare hour.
        ("tonight at 1am", "2025-10-25T01:00:00+05:30 hour"),
        ("at 8 tonight", "2025-10-25T20:00:00+05:30 hour"),
        // Past and upcoming weekdays.
        ("this past Tuesday", "2025-10-21T00:00:00+05:30 day"),
        ("this upcoming Thursday", "2025-10-30T00:00:00+05:30 day"),
        // Neighbouring days, bare days of the month, n-th weekdays of this month.
        ("the day after", "2025-10-26T00:00:00+05:30 day"),
        ("see you next day", "2025-10-26T00:00:00+05:30 day"),
        ("is it free for the 30", "2025-10-30T00:00:00+05:30 day"),
        ("on 28", "2025-10-28T00:00:00+05:30 day"),
        ("second Saturday of November", "2025-11-08T00:00:00+05:30 day"),
        // Hours in words with am/pm, compact and two-digit-year dates.
        ("at eight pm", "2025-10-25T20:00:00+05:30 hour"),
        ("nine a m works", "2025-10-26T09:00:00+05:30 hour"),
        ("shipped 20250930 per the log", "2025-09-30T00:00:00+05:30 day"),
        ("on 12/05/98", "1998-05-12T00:00:00+05:30 day"),
    ])
    func reads(_ text: String, _ expected: String) {
        #expect(dates(text) == [expected], "\(text): \(dates(text))")
    }

    @Test func weekendsStartFridayEvening() {
        #expect(dates("next weekend") == ["2025-10-31T18:00:00+05:30 hour"])
        #expect(dates("over the weekend") == ["2025-10-24T18:00:00+05:30 hour"])
        let wednesday = Fixture.context(reference: Fixture.reference.addingTimeInterval(-3 * 86_400))
        #expect(Fixture.entities("this weekend", wednesday).dates.map(\.value) == ["2025-10-24T18:00:00+05:30"])
    }

    @Test(arguments: ["the second one is fine", "first class ticket", "June is great", "version 2.1-3", "ref 123-45-6789", "on 15 pcs"])
    func notDates(_ text: String) {
        #expect(dates(text).isEmpty, "\(text): \(dates(text))")
    }
}
