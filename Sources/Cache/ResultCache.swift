import Events
import Foundation
import Logging
import Metrics

/// A cache key: `t:{tenant}:ai:v{version}:{kind}:{sha256}`; the hash covers the normalized
/// text and every piece of context the cached value depends on.
public struct CacheKey: Sendable, Hashable, CustomStringConvertible {
    public let kind: String
    public let key: String

    /// `tenant` is kept when it is a plain identifier (letters, digits, `-`, `_`, `.`), hashed
    /// otherwise, so that no tenant id can reach into another tenant's key space.
    public init(tenant: String, version: Int, kind: String, material: [String]) {
        let safe = !tenant.isEmpty && tenant.count <= 64 && tenant.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x2d || byte == 0x5f || byte == 0x2e
        }
        let tenantPart = safe ? tenant : "h" + String(SHA256.hex(Array(tenant.utf8)).prefix(32))
        // Each piece is length-prefixed so that no two different lists hash the same bytes.
        var bytes: [UInt8] = []
        for piece in material {
            bytes.append(contentsOf: String(piece.utf8.count).utf8)
            bytes.append(0x3a)
            bytes.append(contentsOf: piece.utf8)
        }
        self.kind = kind
        key = "t:\(tenantPart):ai:v\(version):\(kind):\(SHA256.hex(bytes))"
    }

    public var description: String { key }

    /// Trimmed, runs of white space as one space, lower-cased: the text as the LLM sees it.
    public static func normalize(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// The two-level cache: an in-process LRU in front of Redis. Reads try the LRU, then Redis (one
/// MGET for all keys); writes go to both. When Redis is not configured, or down, the LRU alone
/// serves and nothing fails: Redis errors are counted and logged, never thrown. The Redis client
/// reconnects by itself, so the cache returns to Redis when it is back.
public final class ResultCache: Sendable {
    public let redis: RedisClient?
    public let ttlSeconds: Int
    private let lru: LRUCache
    private let logger: Logger
    private let clock: @Sendable () -> Double
    private let metrics: CacheMetrics

    public init(
        redis: RedisClient?, lruCapacity: Int, lruMaxBytes: Int = 64 << 20, ttlSeconds: Int, kinds: [String], logger: Logger = Logger(label: "ai-worker.cache"),
        clock: @escaping @Sendable () -> Double = ResultCache.monotonicSeconds
    ) {
        self.redis = redis
        self.ttlSeconds = ttlSeconds
        self.logger = logger
        self.clock = clock
        lru = LRUCache(capacity: lruCapacity, maxBytes: lruMaxBytes)
        metrics = CacheMetrics(kinds: kinds)
    }

    /// Seconds on the continuous clock (only differences mean anything).
    @Sendable public static func monotonicSeconds() -> Double { ContinuousClock.now.secondsSinceReference }

    public struct Lookup: Sendable {
        public var value: [UInt8]?
        public enum Source: String, Sendable { case lru, redis, none }
        public var source: Source
    }

    public func get(_ keys: [CacheKey]) async -> [Lookup] {
        let now = clock()
        var results = keys.map { key in
            lru.get(key.key, now: now).map { Lookup(value: $0, source: .lru) } ?? Lookup(value: nil, source: .none)
        }
        let missing = results.indices.filter { results[$0].value == nil }
        if let redis, !missing.isEmpty {
            do {
                let reply = try await redis.pipeline([[Array("MGET".utf8)] + missing.map { Array(keys[$0].key.utf8) }])
                if case .array(let values)? = reply.first, values.count == missing.count {
                    for (offset, index) in missing.enumerated() {
                        guard let bytes = values[offset].bytes else { continue }
                        results[index] = Lookup(value: bytes, source: .redis)
                        lru.set(keys[index].key, bytes, ttlSeconds: Double(ttlSeconds), now: now)
                    }
                } else if case .error(let message)? = reply.first {
                    metrics.error("get")
                    logger.debug("Redis MGET refused", metadata: ["error": "\(message)"])
                }
            } catch {
                metrics.error("get")
                logger.debug("Redis read failed; the in-process cache serves", metadata: ["error": "\(error)"])
            }
        }
        for (key, result) in zip(keys, results) { metrics.lookup(kind: key.kind, hit: result.value != nil) }
        return results
    }

    public func get(_ key: CacheKey) async -> [UInt8]? {
        await get([key]).first?.value
    }

    public func set(_ key: CacheKey, _ value: [UInt8]) async {
        lru.set(key.key, value, ttlSeconds: Double(ttlSeconds), now: clock())
        guard let redis else { return }
        do {
            let reply = try await redis.command(["SET", key.key, String(decoding: value, as: UTF8.self), "EX", String(ttlSeconds)])
            if case .error = reply { metrics.error("set") }
        } catch {
            metrics.error("set")
            logger.debug("Redis write failed; kept in the in-process cache", metadata: ["error": "\(error)"])
        }
    }

    /// Entries in the in-process LRU.
    public var localCount: Int { lru.count }
}

extension ContinuousClock.Instant {
    /// Seconds on the continuous clock's own scale (only differences mean anything).
    var secondsSinceReference: Double {
        let (seconds, attoseconds) = (self - ContinuousClock.Instant.reference).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    static let reference = ContinuousClock.now
}

/// The cache's metric names (`aiworker_cache_*`).
public enum CacheMetricNames {
    /// Counter {kind, outcome=hit|miss}: lookups.
    public static let lookups = "aiworker_cache_lookups_total"
    /// Counter {op=get|set}: Redis failures (the LRU served instead).
    public static let errors = "aiworker_cache_redis_errors_total"
}

struct CacheMetrics: Sendable {
    let hits: [String: Counter]
    let misses: [String: Counter]
    let errors: [String: Counter]

    init(kinds: [String]) {
        hits = Dictionary(uniqueKeysWithValues: kinds.map { ($0, Counter(label: CacheMetricNames.lookups, dimensions: [("kind", $0), ("outcome", "hit")])) })
        misses = Dictionary(uniqueKeysWithValues: kinds.map { ($0, Counter(label: CacheMetricNames.lookups, dimensions: [("kind", $0), ("outcome", "miss")])) })
        errors = Dictionary(uniqueKeysWithValues: ["get", "set"].map { ($0, Counter(label: CacheMetricNames.errors, dimensions: [("op", $0)])) })
    }

    func lookup(kind: String, hit: Bool) { (hit ? hits : misses)[kind]?.increment() }
    func error(_ op: String) { errors[op]?.increment() }
}
