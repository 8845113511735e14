import Events
import Foundation
import Synchronization

/// Where each business's daily LLM spend is counted. Implementations never throw: a store that
/// is down answers from memory.
public protocol SpendLedger: Sendable {
    /// USD spent by `business` on `day` (UTC, `yyyy-MM-dd`).
    func spent(tenant: String, business: String, day: String) async -> Double
    func add(tenant: String, business: String, day: String, costUSD: Double) async
}

/// In-process spend counters: the fallback when Redis is down, and the ledger when it is not
/// configured. Only the current and previous day are kept.
public final class InMemorySpendLedger: SpendLedger {
    private struct State {
        var totals: [String: Double] = [:]
        var days: Set<String> = []
    }
    private let state = Mutex(State())

    public init() {}

    public func spent(tenant: String, business: String, day: String) async -> Double {
        value(tenant: tenant, business: business, day: day)
    }

    public func value(tenant: String, business: String, day: String) -> Double {
        state.withLock { $0.totals[Self.key(tenant, business, day)] ?? 0 }
    }

    public func add(tenant: String, business: String, day: String, costUSD: Double) async {
        record(tenant: tenant, business: business, day: day, costUSD: costUSD)
    }

    /// Adds and returns the new total.
    @discardableResult
    public func record(tenant: String, business: String, day: String, costUSD: Double) -> Double {
        state.withLock { state in
            if !state.days.contains(day) {
                state.days.insert(day)
                if state.days.count > 2, let oldest = state.days.min() {
                    state.days.remove(oldest)
                    state.totals = state.totals.filter { !$0.key.hasSuffix("|" + oldest) }
                }
            }
            let key = Self.key(tenant, business, day)
            let total = (state.totals[key] ?? 0) + costUSD
            state.totals[key] = total
            return total
        }
    }

    /// Raises the counter to at least `total` (used to carry a Redis value into memory).
    public func raise(tenant: String, business: String, day: String, to total: Double) {
        state.withLock { state in
            let key = Self.key(tenant, business, day)
            state.totals[key] = max(state.totals[key] ?? 0, total)
        }
    }

    private static func key(_ tenant: String, _ business: String, _ day: String) -> String { "\(tenant)|\(business)|\(day)" }
}

enum UTCDay {
    /// `yyyy-MM-dd` in UTC.
    static func string(_ date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let (year, month, day) = CivilDate.civil(days: days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day))"
    }
}
