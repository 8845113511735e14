extension Duration {
    /// Whole milliseconds, rounded toward zero and saturated at `Int`'s range: safe for
    /// any duration, also one built from an external value (a `Retry-After` header, say).
    public var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return seconds < 0 ? Int.min : Int.max }
        let (total, overflowSum) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        guard !overflowSum else { return seconds < 0 ? Int.min : Int.max }
        return Int(truncatingIfNeeded: total)
    }
}

extension Duration {
    /// `wholeMilliseconds`, at least 0: for waits and timeouts.
    public var wholeMillisecondsClamped: Int { max(0, wholeMilliseconds) }
}

extension Duration {
    /// Seconds with their fraction: for rates, metrics and backoff arithmetic.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole nanoseconds, rounded toward zero and saturated at `Int64`'s range.
    public var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, overflowSum) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        guard !overflowSum else { return seconds < 0 ? .min : .max }
        return total
    }
}
