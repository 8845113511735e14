import Foundation

extension DateReader {
    /// The moment dates are resolved against. The message's own reference is read from the
    /// zone on first use: most words that may start a date turn out not to, and asking the
    /// zone for its offset costs more than the rest of the grammar.
    struct Reference {
        struct Fields {
            var instant: Int
            var localDay: Int
            var localSeconds: Int // seconds since local midnight
            var year: Int
            var month: Int
            var dayOfMonth: Int
            var weekday: Int
        }

        /// Resolves the fields once, when a date form first asks for them.
        final class Pending {
            let referenceTime: Date
            let timeZone: TimeZone
            lazy var fields: Fields = {
                let instant = Int(referenceTime.timeIntervalSince1970.rounded(.down))
                let off = timeZone.secondsFromGMT(for: referenceTime)
                let local = instant + off
                let day = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
                let (y, m, d) = CivilTime.civil(days: day)
                return Fields(instant: instant, localDay: day, localSeconds: local - day * 86_400, year: y, month: m, dayOfMonth: d, weekday: CivilTime.weekday(days: day))
            }()

            init(referenceTime: Date, timeZone: TimeZone) {
                self.referenceTime = referenceTime
                self.timeZone = timeZone
            }
        }

        private enum Source {
            case known(Fields)
            case pending(Pending)
        }

        private let source: Source

        init(instant: Int, localDay: Int, localSeconds: Int, year: Int, month: Int, dayOfMonth: Int, weekday: Int) {
            source = .known(Fields(instant: instant, localDay: localDay, localSeconds: localSeconds, year: year, month: month, dayOfMonth: dayOfMonth, weekday: weekday))
        }

        init(_ context: AnalysisContext) { source = .pending(Pending(referenceTime: context.referenceTime, timeZone: context.timeZone)) }

        private var fields: Fields {
            switch source {
            case .known(let f): f
            case .pending(let p): p.fields
            }
        }

        var instant: Int { fields.instant }
        var localDay: Int { fields.localDay }
        var localSeconds: Int { fields.localSeconds }
        var year: Int { fields.year }
        var month: Int { fields.month }
        var dayOfMonth: Int { fields.dayOfMonth }
        var weekday: Int { fields.weekday }
    }

    /// `Int(s.prefix(digits))` for a number token's ASCII digits, without Character indexing
    /// (any other text takes the Character path).
    static func leadingValue(_ s: String, digits: Int) -> Int? {
        var value = 0
        var read = 0
        for b in s.utf8 {
            guard ASCII.isDigit(b) else { return Int(s.prefix(digits)) }
            if read < digits { value = value * 10 + Int(b &- 0x30) }
            read += 1
        }
        return read == 0 ? Int(s.prefix(digits)) : value
    }
}
