import Analysis
import Cache
import Events
import Foundation
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("The quick brown fox jumps over the lazy dog", "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(Array(input.utf8)) == digest)
    }

    @Test func millionAs() {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func everyPaddingLength() {
        // Lengths around the 55/56/64-byte padding boundaries must all hash without trapping and differ.
        let digests = Set((0..<130).map { SHA256.hex([UInt8](repeating: 0x61, count: $0)) })
        #expect(digests.count == 130)
    }
}

@Suite("LRU")
struct LRUTests {
    @Test func evictsLeastRecentlyUsed() {
        let lru = LRUCache(capacity: 2)
        lru.set("a", [1], ttlSeconds: 10, now: 0)
        lru.set("b", [2], ttlSeconds: 10, now: 0)
        #expect(lru.get("a", now: 1) == [1])
        lru.set("c", [3], ttlSeconds: 10, now: 1)
        #expect(lru.get("b", now: 1) == nil, "b was the least recently used")
        #expect(lru.get("a", now: 1) == [1])
        #expect(lru.get("c", now: 1) == [3])
        #expect(lru.count == 2)
    }

    @Test func expires() {
        let lru = LRUCache(capacity: 10)
        lru.set("a", [1], ttlSeconds: 5, now: 100)
        #expect(lru.get("a", now: 104.9) == [1])
        #expect(lru.get("a", now: 105) == nil)
        #expect(lru.count == 0)
    }

    /// Issue 10, finding 8: the LRU was bounded by entry count only.
    @Test func staysWithinItsByteBound() {
        let lru = LRUCache(capacity: 1000, maxBytes: 100)
        for index in 0..<50 { lru.set("k\(index)", [UInt8](repeating: 7, count: 30), ttlSeconds: 10, now: 0) }
        #expect(lru.byteCount <= 100)
        #expect(lru.count == 3, "three entries of 33 bytes fit in 100")
        #expect(lru.get("k49", now: 0) != nil, "the newest stays")
        lru.set("huge", [UInt8](repeating: 1, count: 200), ttlSeconds: 10, now: 0)
        #expect(lru.get("huge", now: 0) == nil, "an entry larger than the bound is not kept")
        #expect(lru.byteCount <= 100)
        lru.set("k49", [1], ttlSeconds: 10, now: 0)
        #expect(lru.byteCount == 4 + 33 * 2, "replacing an entry accounts for its new size")
    }

    @Test func randomOperationsMatchAModel() {
        var generator = SystemRandomNumberGenerator()
        let lru = LRUCache(capacity: 8)
        var model: [(String, [UInt8])] = []  // most recent last
        for step in 0..<5000 {
            let key = "k\(Int.random(in: 0..<20, using: &generator))"
            if Bool.random(using: &generator) {
                let value = [UInt8(step % 256)]
                lru.set(key, value, ttlSeconds: 1e9, now: 0)
                model.removeAll { $0.0 == key }
                model.append((key, value))
                if model.count > 8 { model.removeFirst() }
            } else {
                let expected = model.first { $0.0 == key }?.1
                #expect(lru.get(key, now: 0) == expected)
                if let index = model.firstIndex(where: { $0.0 == key }) { model.append(model.remove(at: index)) }
            }
        }
    }
}

@Suite("Keys and values")
struct KeyTests {
    @Test func keyShapeAndTenantIsolation() {
        let a = CacheKey(tenant: "tenant-a", version: 3, kind: "llm", material: ["hello"])
        let b = CacheKey(tenant: "tenant-b", version: 3, kind: "llm", material: ["hello"])
        #expect(a.key.hasPrefix("t:tenant-a:ai:v3:llm:"))
        #expect(a.key.count == "t:tenant-a:ai:v3:llm:".count + 64)
        #expect(a != b)
        #expect(CacheKey(tenant: "x:y*", version: 1, kind: "llm", material: []).key.hasPrefix("t:h"), "unsafe tenant ids are hashed")
        #expect(CacheKey(tenant: "t", version: 1, kind: "k", material: ["ab", "c"]) != CacheKey(tenant: "t", version: 1, kind: "k", material: ["a", "bc"]))
        #expect(CacheKey.normalize("  Hello\n  WORLD ") == "hello world")
    }

    @Test func endpoints() throws {
        let full = try #require(RedisEndpoint(url: "redis://user:p%40ss@cache.local:6380/2"))
        #expect(full == RedisEndpoint(host: "cache.local", port: 6380, username: "user", password: "p@ss", database: 2))
        #expect(RedisEndpoint(url: "redis://:secret@127.0.0.1:7000/0") == RedisEndpoint(host: "127.0.0.1", port: 7000, password: "secret"))
        #expect(RedisEndpoint(url: "redis://localhost") == RedisEndpoint(host: "localhost"))
        #expect(RedisEndpoint(url: "rediss://localhost") == nil)
        #expect(RedisEndpoint(url: "redis://host:notaport") == nil)
        #expect(RedisEndpoint(url: "redis://host:1/x") == nil)
        #expect(!full.description.contains("p@ss"))
    }

    @Test func analysisRoundTrips() throws {
        let engine = RulesEngine()
        let context = AnalysisContext(referenceTime: Date(timeIntervalSince1970: 1_761_000_000), timeZone: TimeZone(identifier: "Asia/Kolkata")!)
        for text in ["need 2 laptops under 50k, call me on 98765 43210 tomorrow at 5pm", "hi", "where is my order ORD-48213? mail asha@example.com", ""] {
            let analysis = engine.analyze(text, context: context)
            let decoded = try #require(AnalysisCodec.decode(AnalysisCodec.encode(analysis)))
            #expect(AnalysisCodec.encode(decoded) == AnalysisCodec.encode(analysis))
        }
        #expect(AnalysisCodec.decode(Array("{\"intent\":{}}".utf8)) == nil)
        #expect(AnalysisCodec.decode(Array("not json".utf8)) == nil)
    }
}
