import Events
import CHiredis
import Foundation
import Logging
import Synchronization

/// `redis://[[user]:password@]host[:port][/db]`.
public struct RedisEndpoint: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int

    public init(host: String, port: Int = 6379, username: String? = nil, password: String? = nil, database: Int = 0) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
    }

    /// nil when `url` is not of the form above (`rediss://` is refused: hiredis 0.14 has no TLS).
    public init?(url: String) {
        guard url.hasPrefix("redis://") else { return nil }
        var rest = Substring(url.dropFirst("redis://".count))
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = credentials.firstIndex(of: ":") {
                let user = String(credentials[..<colon]).removingPercentEncoding ?? ""
                username = user.isEmpty ? nil : user
                password = String(credentials[credentials.index(after: colon)...]).removingPercentEncoding
            } else {
                password = String(credentials).removingPercentEncoding
            }
        }
        var database = 0
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty {
                guard let number = Int(path), (0...15_000).contains(number) else { return nil }
                database = number
            }
            rest = rest[..<slash]
        }
        self.database = database
        var port = 6379
        if let colon = rest.lastIndex(of: ":") {
            guard let number = Int(rest[rest.index(after: colon)...]), (1...65_535).contains(number) else { return nil }
            port = number
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else { return nil }
        host = String(rest)
        self.port = port
    }

    /// No password.
    public var description: String { "redis://\(host):\(port)/\(database)" }
}

/// A Redis reply, copied out of hiredis's reply object.
public enum RedisReply: Sendable, Equatable {
    case string([UInt8])
    case status(String)
    case integer(Int)
    case array([RedisReply])
    case null
    case error(String)

    public var bytes: [UInt8]? {
        if case .string(let value) = self { return value }
        return nil
    }
}

/// A Redis failure; `description` has no key, value or password.
public struct CacheError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not connected (down, refused, timed out, or waiting to reconnect).
        case unavailable
        /// Too many commands queued.
        case overloaded
        /// Redis answered with an error.
        case command
        case shutdown
    }
    public var code: Code
    public var detail: String
    public var description: String { "Redis \(code.rawValue): \(detail)" }
}

/// A Redis client over hiredis: `threads` threads of its own, each with one blocking connection,
/// fed from one bounded queue; async callers never block. Each command has a timeout; a broken
/// connection is dropped and retried after an exponential backoff (during which commands fail at
/// once with `.unavailable`, so callers can fall back without waiting). AUTH and SELECT run on
/// every (re)connection. Commands are not cancellable: they are bounded by the timeouts.
public final class RedisClient: Sendable {
    public struct Options: Sendable {
        public var threads = 2
        public var connectTimeout: Duration = .milliseconds(250)
        public var commandTimeout: Duration = .milliseconds(250)
        public var maxQueued = 10_000
        public var backoffInitial: Duration = .milliseconds(100)
        public var backoffMax: Duration = .seconds(5)
        public init() {}
    }

    public let endpoint: RedisEndpoint
    private let options: Options
    private let queue: JobQueue
    private let health: Mutex<Health>
    private let logger: Logger

    struct Health {
        var downUntil: ContinuousClock.Instant?
        var backoff: Duration
        var up = true
    }

    public init(endpoint: RedisEndpoint, options: Options = Options(), logger: Logger = Logger(label: "ai-worker.redis")) {
        self.endpoint = endpoint
        self.options = options
        self.logger = logger
        queue = JobQueue(capacity: options.maxQueued)
        health = Mutex(Health(backoff: options.backoffInitial))
        for index in 0..<max(1, options.threads) {
            let worker = Worker(client: self)
            let thread = Thread { worker.run() }
            thread.name = "redis-\(index)"
            thread.start()
        }
    }

    /// Whether the last connection attempt or command succeeded.
    public var isUp: Bool { health.withLock { $0.up } }

    /// Sends `commands` in one round trip (pipelined) and returns their replies in order. A
    /// Redis error reply is a `.error` element, not a thrown error.
    public func pipeline(_ commands: [[[UInt8]]]) async throws(CacheError) -> [RedisReply] {
        if let downUntil = health.withLock({ $0.downUntil }), ContinuousClock.now < downUntil {
            throw CacheError(code: .unavailable, detail: "waiting to reconnect to \(endpoint)")
        }
        let result: Result<[RedisReply], CacheError> = await withCheckedContinuation { continuation in
            let job = Job(commands: commands, continuation: continuation)
            if let refusal = queue.push(job) { job.finish(.failure(refusal)) }
        }
        return try result.get()
    }

    public func command(_ arguments: [String]) async throws(CacheError) -> RedisReply {
        let replies = try await pipeline([arguments.map { Array($0.utf8) }])
        if case .error(let message)? = replies.first { throw CacheError(code: .command, detail: message) }
        return replies.first ?? .null
    }

    /// Stops the threads after the queued commands; later calls fail with `.shutdown`.
    public func shutdown() {
        queue.close()
    }

    // MARK: worker side

    fileprivate var connectOptions: Options { options }

    fileprivate func markDown(_ reason: String) {
        let (wasUp, backoff) = health.withLock { health -> (Bool, Duration) in
            let wasUp = health.up
            health.up = false
            health.downUntil = .now + health.backoff
            let current = health.backoff
            health.backoff = min(options.backoffMax, health.backoff * 2)
            return (wasUp, current)
        }
        if wasUp {
            logger.warning("Redis unreachable; serving from the in-process cache", metadata: ["redis.endpoint": "\(endpoint)", "error": "\(reason)"])
        } else {
            logger.debug("Redis still unreachable", metadata: ["redis.retry_ms": "\(backoff)"])
        }
    }

    fileprivate func markUp() {
        let wasDown = health.withLock { health -> Bool in
            let wasDown = !health.up
            health.up = true
            health.downUntil = nil
            health.backoff = options.backoffInitial
            return wasDown
        }
        if wasDown { logger.info("Redis reachable again", metadata: ["redis.endpoint": "\(endpoint)"]) }
    }

    fileprivate func nextJob() -> Job? { queue.pop() }
}

/// One pipelined request and its continuation, resumed exactly once by a worker thread (or by
/// `pipeline` when the queue refuses the job).
private final class Job: Sendable {
    let commands: [[[UInt8]]]
    private let continuation: Mutex<CheckedContinuation<Result<[RedisReply], CacheError>, Never>?>

    init(commands: [[[UInt8]]], continuation: CheckedContinuation<Result<[RedisReply], CacheError>, Never>) {
        self.commands = commands
        self.continuation = Mutex(continuation)
    }

    func finish(_ result: Result<[RedisReply], CacheError>) {
        continuation.withLock { $0.take() }?.resume(returning: result)
    }
}

/// A bounded FIFO between async callers and the worker threads.
/// `@unchecked Sendable`: `jobs` and `closed` are only touched with `condition` locked.
private final class JobQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var closed = false
    private let capacity: Int

    init(capacity: Int) { self.capacity = capacity }

    func push(_ job: Job) -> CacheError? {
        condition.lock()
        defer { condition.unlock() }
        if closed { return CacheError(code: .shutdown, detail: "the Redis client is shut down") }
        if jobs.count - head >= capacity { return CacheError(code: .overloaded, detail: "\(capacity) commands already queued") }
        jobs.append(job)
        condition.signal()
        return nil
    }

    /// Blocks until a job arrives; nil once closed and drained.
    func pop() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && !closed { condition.wait() }
        guard head < jobs.count else { return nil }
        let job = jobs[head]
        head += 1
        if head > 1024 && head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// A worker thread's connection: created, used and freed on that thread only.
private final class Worker: @unchecked Sendable {
    // `@unchecked Sendable`: handed to its thread once at start, then used only there.
    private let client: RedisClient
    private var context: UnsafeMutablePointer<redisContext>?

    init(client: RedisClient) { self.client = client }

    func run() {
        while let job = client.nextJob() {
            job.finish(execute(job.commands))
        }
        disconnect()
    }

    private func execute(_ commands: [[[UInt8]]]) -> Result<[RedisReply], CacheError> {
        if context == nil {
            switch connect() {
            case .success(let connected): context = connected
            case .failure(let error):
                client.markDown(error.detail)
                return .failure(error)
            }
        }
        guard let context else { return .failure(CacheError(code: .unavailable, detail: "not connected")) }
        switch Self.roundTrip(context, commands) {
        case .success(let replies):
            client.markUp()
            return .success(replies)
        case .failure(let error):
            disconnect()
            client.markDown(error.detail)
            return .failure(error)
        }
    }

    private func connect() -> Result<UnsafeMutablePointer<redisContext>, CacheError> {
        let endpoint = client.endpoint
        let options = client.connectOptions
        guard let context = shim_redis_connect(endpoint.host, Int32(endpoint.port), Self.milliseconds(options.connectTimeout)) else {
            return .failure(CacheError(code: .unavailable, detail: "cannot allocate a Redis context"))
        }
        if context.pointee.err != 0 {
            let message = String(cString: shim_redis_errstr(context))
            redisFree(context)
            return .failure(CacheError(code: .unavailable, detail: "connect: \(message)"))
        }
        shim_redis_set_timeout(context, Self.milliseconds(options.commandTimeout))
        redisEnableKeepAlive(context)
        var setup: [[[UInt8]]] = []
        if let password = endpoint.password {
            setup.append((["AUTH"] + (endpoint.username.map { [$0] } ?? []) + [password]).map { Array($0.utf8) })
        }
        if endpoint.database != 0 { setup.append(["SELECT", String(endpoint.database)].map { Array($0.utf8) }) }
        if !setup.isEmpty {
            switch Self.roundTrip(context, setup) {
            case .success(let replies):
                if let failure = replies.first(where: { if case .error = $0 { true } else { false } }), case .error(let message) = failure {
                    redisFree(context)
                    // Only the first word: an AUTH error message never holds the password, but stay terse.
                    return .failure(CacheError(code: .unavailable, detail: "AUTH/SELECT refused: \(message.split(separator: " ").first ?? "")"))
                }
            case .failure(let error):
                redisFree(context)
                return .failure(error)
            }
        }
        return .success(context)
    }

    private func disconnect() {
        if let context { redisFree(context) }
        context = nil
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, duration.wholeMilliseconds)
    }

    /// Appends every command, then reads every reply (one round trip).
    private static func roundTrip(_ context: UnsafeMutablePointer<redisContext>, _ commands: [[[UInt8]]]) -> Result<[RedisReply], CacheError> {
        for command in commands {
            let status = withArgv(command) { argc, argv, lengths in redisAppendCommandArgv(context, argc, argv, lengths) }
            guard status == REDIS_OK else { return .failure(connectionError(context)) }
        }
        var replies: [RedisReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            guard redisGetReply(context, &raw) == REDIS_OK, let raw else { return .failure(connectionError(context)) }
            let reply = raw.assumingMemoryBound(to: redisReply.self)
            replies.append(copy(reply))
            freeReplyObject(raw)
        }
        return .success(replies)
    }

    private static func connectionError(_ context: UnsafeMutablePointer<redisContext>) -> CacheError {
        CacheError(code: .unavailable, detail: String(cString: shim_redis_errstr(context)))
    }

    /// Copies the reply out before `freeReplyObject`.
    private static func copy(_ reply: UnsafeMutablePointer<redisReply>) -> RedisReply {
        let value = reply.pointee
        func text() -> [UInt8] {
            guard let str = value.str, value.len > 0 else { return [] }
            return Array(UnsafeRawBufferPointer(start: str, count: Int(value.len)))
        }
        switch value.type {
        case REDIS_REPLY_STRING: return .string(text())
        case REDIS_REPLY_STATUS: return .status(String(decoding: text(), as: UTF8.self))
        case REDIS_REPLY_ERROR: return .error(String(decoding: text(), as: UTF8.self))
        case REDIS_REPLY_INTEGER: return .integer(Int(value.integer))
        case REDIS_REPLY_ARRAY:
            guard let elements = value.element else { return .array([]) }
            return .array((0..<Int(value.elements)).map { index in elements[index].map(copy) ?? .null })
        default: return .null
        }
    }

    private static func withArgv<R>(_ arguments: [[UInt8]], _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R) -> R {
        let buffers = arguments.map { argument -> UnsafeMutablePointer<CChar> in
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, argument.count))
            argument.withUnsafeBytes { bytes in
                if let base = bytes.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: bytes.count) }
            }
            return buffer
        }
        defer { buffers.forEach { $0.deallocate() } }
        var pointers: [UnsafePointer<CChar>?] = buffers.map { UnsafePointer($0) }
        let lengths = arguments.map(\.count)
        return pointers.withUnsafeMutableBufferPointer { argv in
            lengths.withUnsafeBufferPointer { lengths in body(Int32(arguments.count), argv.baseAddress!, lengths.baseAddress!) }
        }
    }
}
