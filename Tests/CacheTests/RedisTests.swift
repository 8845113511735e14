import Cache
import Foundation
import Testing

/// The `redis-server` that scripts/test.sh starts (TEST_REDIS_URL).
func testRedisEndpoint() throws -> RedisEndpoint {
    let url = try #require(
        ProcessInfo.processInfo.environment["TEST_REDIS_URL"],
        "TEST_REDIS_URL is not set: run scripts/test.sh, or `eval \"$(scripts/redis-tempdb.sh start)\"; export TEST_REDIS_URL=$REDIS_URL`"
    )
    return try #require(RedisEndpoint(url: url), "TEST_REDIS_URL is not a redis:// URL")
}

func uniquePrefix() -> String { "test-" + UUID().uuidString.lowercased().prefix(8) }

@Suite("Redis (real server)")
struct RedisTests {
    @Test func commandsAndPipelining() async throws {
        let redis = RedisClient(endpoint: try testRedisEndpoint())
        defer { redis.shutdown() }
        let key = uniquePrefix() + ":k"
        #expect(try await redis.command(["SET", key, "value", "EX", "60"]) == .status("OK"))
        #expect(try await redis.command(["GET", key]) == .string(Array("value".utf8)))
        let replies = try await redis.pipeline([["INCR", key + ":n"], ["INCR", key + ":n"], ["GET", key + ":missing"]].map { $0.map { Array($0.utf8) } })
        #expect(replies == [.integer(1), .integer(2), .null])
        await #expect(throws: CacheError.self) { try await redis.command(["NOSUCHCOMMAND"]) }
        // Binary-safe values.
        let bytes: [UInt8] = [0, 255, 10, 13, 0x22]
        _ = try await redis.pipeline([[Array("SET".utf8), Array((key + ":bin").utf8), bytes]])
        #expect(try await redis.command(["GET", key + ":bin"]).bytes == bytes)
    }

    @Test func cacheHitsMissesTTLAndTenants() async throws {
        let redis = RedisClient(endpoint: try testRedisEndpoint())
        defer { redis.shutdown() }
        let tenantA = uniquePrefix(), tenantB = uniquePrefix()
        let writer = ResultCache(redis: redis, lruCapacity: 100, ttlSeconds: 120, kinds: ["llm"])
        let keyA = CacheKey(tenant: tenantA, version: 1, kind: "llm", material: ["same text"])
        let keyB = CacheKey(tenant: tenantB, version: 1, kind: "llm", material: ["same text"])
        #expect(await writer.get(keyA) == nil, "miss")
        await writer.set(keyA, Array("answer-a".utf8))
        await writer.set(keyB, Array("answer-b".utf8))
        // A second cache (another replica: empty LRU) reads them from Redis.
        let reader = ResultCache(redis: redis, lruCapacity: 100, ttlSeconds: 120, kinds: ["llm"])
        let found = await reader.get([keyA, keyB, CacheKey(tenant: tenantA, version: 1, kind: "llm", material: ["other"])])
        #expect(found.map(\.value) == [Array("answer-a".utf8), Array("answer-b".utf8), nil])
        #expect(found.map(\.source) == [.redis, .redis, .none])
        #expect(await reader.get([keyA]).first?.source == .lru, "then served from the LRU")
        let ttl = try await redis.command(["TTL", keyA.key])
        guard case .integer(let seconds) = ttl else { Issue.record("TTL: \(ttl)"); return }
        #expect((110...120).contains(seconds))
        #expect(keyA.key.hasPrefix("t:\(tenantA):ai:v1:llm:"))
    }

    @Test func authAndDatabaseIndex() async throws {
        var endpoint = try testRedisEndpoint()
        endpoint.database = 3
        let redis = RedisClient(endpoint: endpoint)
        defer { redis.shutdown() }
        let key = uniquePrefix()
        _ = try await redis.command(["SET", key, "in-db-3", "EX", "60"])
        let db0 = RedisClient(endpoint: try testRedisEndpoint())
        defer { db0.shutdown() }
        #expect(try await db0.command(["GET", key]) == .null, "SELECT 3 isolates the keys")
        var wrongPassword = try testRedisEndpoint()
        wrongPassword.password = "wrong"
        let refused = RedisClient(endpoint: wrongPassword)
        defer { refused.shutdown() }
        await #expect(throws: CacheError.self) { try await refused.command(["PING"]) }
    }
}

/// A private redis-server this test starts (a child process, not daemonized), stops in the
/// middle of a stream, and restarts on the same port.
@Suite("Redis outage")
struct RedisOutageTests {
    static func startRedis(port: Int, directory: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["redis-server", "--bind", "127.0.0.1", "--port", String(port), "--dir", directory, "--save", "", "--appendonly", "no"]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Awaits `condition` under a deadline (polling the server, not sleeping blindly).
    static func eventually(_ timeout: Duration = .seconds(10), _ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return await condition()
    }

    @Test func resultsKeepComingFromTheLRUAndRedisIsUsedAgainWhenBack() async throws {
        _ = try testRedisEndpoint()  // the suite needs redis-server like the others
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-outage-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = Int.random(in: 20_000..<60_000)
        var server = try Self.startRedis(port: port, directory: directory)
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }
        var options = RedisClient.Options()
        options.backoffInitial = .milliseconds(20)
        options.backoffMax = .milliseconds(100)
        let redis = RedisClient(endpoint: RedisEndpoint(host: "127.0.0.1", port: port), options: options)
        defer { redis.shutdown() }
        #expect(try await Self.eventually { (try? await redis.command(["PING"])) != nil }, "private redis-server on port \(port) did not start")
        let cache = ResultCache(redis: redis, lruCapacity: 1000, ttlSeconds: 60, kinds: ["local"])
        let tenant = uniquePrefix()
        func key(_ index: Int) -> CacheKey { CacheKey(tenant: tenant, version: 1, kind: "local", material: ["message \(index)"]) }

        var served = 0
        for index in 0..<200 {
            if index == 100 {
                // SIGKILL: the test process may block SIGTERM, and children inherit the mask.
                kill(server.processIdentifier, SIGKILL)
                #expect(try await Self.eventually { (try? await redis.command(["PING"])) == nil }, "redis-server did not stop")
                #expect(!redis.isUp)
            }
            await cache.set(key(index), Array("value \(index)".utf8))
            if await cache.get(key(index)) == Array("value \(index)".utf8) { served += 1 }
        }
        #expect(served == 200, "every result was served, from the LRU while Redis was down")
        for index in [0, 99, 100, 199] { #expect(await cache.get(key(index)) == Array("value \(index)".utf8)) }

        // Restart on the same port: the client reconnects by itself.
        server = try Self.startRedis(port: port, directory: directory)
        #expect(try await Self.eventually { (try? await redis.command(["PING"])) != nil })
        #expect(redis.isUp)
        await cache.set(key(1000), Array("after".utf8))
        #expect(try await redis.command(["GET", key(1000).key]) == .string(Array("after".utf8)), "writes reach Redis again")
    }
}
