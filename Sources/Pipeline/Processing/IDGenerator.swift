/// Event ids (UUID v4 text) and W3C trace/span ids from xoshiro256**, seeded once from the
/// system's generator. Not cryptographic: ids need uniqueness, not secrecy. One per worker task.
struct IDGenerator {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    init() {
        var system = SystemRandomNumberGenerator()
        state = (system.next(), system.next(), system.next(), system.next() | 1)
    }

    mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 { (value << count) | (value >> (64 - count)) }

    /// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`, lower case.
    mutating func uuid() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var bytes = [UInt8]()
        bytes.reserveCapacity(36)
        Self.appendHex(high, digits: 16, to: &bytes, dashesAfter: [8, 12])
        bytes.append(UInt8(ascii: "-"))
        Self.appendHex(low, digits: 16, to: &bytes, dashesAfter: [4])
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `count` random bytes as lower-case hex.
    mutating func hex(bytes count: Int) -> String {
        var bytes = [UInt8]()
        bytes.reserveCapacity(count * 2)
        var remaining = count
        while remaining > 0 {
            let take = min(remaining, 8)
            Self.appendHex(next() >> (64 - UInt64(take) * 8), digits: take * 2, to: &bytes, dashesAfter: [])
            remaining -= take
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ value: UInt64, digits count: Int, to bytes: inout [UInt8], dashesAfter: [Int]) {
        for index in 0..<count {
            if dashesAfter.contains(index) { bytes.append(UInt8(ascii: "-")) }
            let shift = UInt64((count - 1 - index) * 4)
            bytes.append(digits[Int((value >> shift) & 0xF)])
        }
    }
}
