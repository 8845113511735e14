import Synchronization

/// A least-recently-used map with a per-entry expiry, bounded by entry count and by bytes
/// (keys and values), safe to share between threads. Time is passed in (seconds on any
/// monotonic scale) so that expiry is testable.
public final class LRUCache: Sendable {
    private struct Node {
        var key: String
        var value: [UInt8]
        var expires: Double
        var previous: Int
        var next: Int
    }

    private struct Storage {
        var index: [String: Int] = [:]
        var nodes: [Node] = []
        var free: [Int] = []
        /// Most recently used; -1 when empty.
        var head = -1
        /// Least recently used; -1 when empty.
        var tail = -1
        /// Bytes of every stored key and value.
        var bytes = 0

        mutating func unlink(_ slot: Int) {
            let node = nodes[slot]
            if node.previous >= 0 { nodes[node.previous].next = node.next } else { head = node.next }
            if node.next >= 0 { nodes[node.next].previous = node.previous } else { tail = node.previous }
        }

        mutating func pushFront(_ slot: Int) {
            nodes[slot].previous = -1
            nodes[slot].next = head
            if head >= 0 { nodes[head].previous = slot }
            head = slot
            if tail < 0 { tail = slot }
        }

        mutating func remove(_ slot: Int) {
            unlink(slot)
            index[nodes[slot].key] = nil
            bytes -= Self.size(nodes[slot].key, nodes[slot].value)
            nodes[slot].value = []
            nodes[slot].key = ""
            free.append(slot)
        }

        static func size(_ key: String, _ value: [UInt8]) -> Int { key.utf8.count + value.count }
    }

    public let capacity: Int
    /// Keys and values together stay at or under this many bytes; a larger entry is not kept.
    public let maxBytes: Int
    private let storage = Mutex(Storage())

    public init(capacity: Int, maxBytes: Int = 64 << 20) {
        self.capacity = max(1, capacity)
        self.maxBytes = max(1, maxBytes)
    }

    public var count: Int { storage.withLock { $0.index.count } }
    public var byteCount: Int { storage.withLock { $0.bytes } }

    public func get(_ key: String, now: Double) -> [UInt8]? {
        storage.withLock { s in
            guard let slot = s.index[key] else { return nil }
            guard s.nodes[slot].expires > now else {
                s.remove(slot)
                return nil
            }
            s.unlink(slot)
            s.pushFront(slot)
            return s.nodes[slot].value
        }
    }

    public func set(_ key: String, _ value: [UInt8], ttlSeconds: Double, now: Double) {
        let size = Storage.size(key, value)
        storage.withLock { s in
            if let slot = s.index[key] { s.remove(slot) }
            guard size <= maxBytes else { return }
            while s.tail >= 0, s.index.count >= capacity || s.bytes + size > maxBytes { s.remove(s.tail) }
            let expires = now + ttlSeconds
            s.bytes += size
            let node = Node(key: key, value: value, expires: expires, previous: -1, next: -1)
            let slot: Int
            if let reused = s.free.popLast() {
                s.nodes[reused] = node
                slot = reused
            } else {
                s.nodes.append(node)
                slot = s.nodes.count - 1
            }
            s.index[key] = slot
            s.pushFront(slot)
        }
    }

    public func remove(_ key: String) {
        storage.withLock { s in
            if let slot = s.index[key] { s.remove(slot) }
        }
    }
}
