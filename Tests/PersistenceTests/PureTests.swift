import Events
import Foundation
import Synchronization
import Testing

@testable import Persistence

@Suite("Persistence: pure parts")
struct PureTests {
    // MARK: DatabaseConfig

    @Test func parsesDatabaseURL() throws {
        let config = try DatabaseConfig(url: "postgres://app:s%40cret@db.example:6543/leads?sslmode=require&application_name=bw")
        #expect(config.host == "db.example")
        #expect(config.port == 6543)
        #expect(config.username == "app")
        #expect(config.password == "s@cret")
        #expect(config.database == "leads")
        #expect(config.tlsMode == .require)
        #expect(config.applicationName == "bw")
        #expect(!config.description.contains("cret"))
        #expect(config.description.contains("***"))
    }

    @Test func databaseURLDefaults() throws {
        let config = try DatabaseConfig(url: "postgresql://localhost/db")
        #expect(config.port == 5432)
        #expect(config.username == "postgres")
        #expect(config.password == nil)
        #expect(config.tlsMode == .prefer)
    }

    @Test(arguments: [
        "", "mysql://u@h/db", "postgres:///db", "postgres://u@h:0/db", "postgres://u@h/db?sslmode=sometimes",
        "postgres://u:pw@h/db?connect_timeout=x",
    ])
    func rejectsBadDatabaseURL(_ url: String) {
        do {
            _ = try DatabaseConfig(url: url)
            Issue.record("accepted \(url)")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.description.contains("DATABASE_URL"))
            #expect(error.description.contains("postgres://user:password@host:port/database"))
            #expect(!error.description.contains("pw"))
        }
    }

    // MARK: Decoder

    @Test func decodesAResult() throws {
        let spec = ResultSpec(dates: [("2025-10-26T17:00:00+05:30", "tomorrow at 5pm")])
        guard case .result(let result) = try InboundDecoder.decode(spec.value(), as: .result) else {
            Issue.record("not a result"); return
        }
        #expect(result.eventID == spec.eventID)
        #expect(result.leadID == spec.leadID)
        #expect(result.businessID == "biz-1")
        #expect(result.tenantID == "tenant-1")
        #expect(result.intent?.intent == .orderRequest)
        #expect(result.intent?.confidence == 0.95)
        #expect(result.intent?.tier == .rules)
        #expect(result.leadScore == 86)
        #expect(result.leadQuality == .hot)
        #expect(result.phones == ["+919876543210"])
        #expect(result.firstDate?.text == "tomorrow at 5pm")
        #expect(result.firstDate?.value?.timeIntervalSince1970 == 1_761_478_200)
        #expect(result.requestID == nil)
    }

    @Test func decodesAnError() throws {
        let spec = ErrorSpec()
        guard case .error(let event) = try InboundDecoder.decode(spec.value(), as: .error) else {
            Issue.record("not an error"); return
        }
        #expect(event.leadID == spec.leadID)
        #expect(event.errorCode == "VALIDATION_FAILED")
        #expect(event.sourcePartition == 3)
        #expect(event.sourceOffset == Int64(spec.sourceOffset))
        #expect(event.sourceEventID == nil)
    }

    static let badPayloads: [(String, String)] = [
        ("", "no value"),
        ("not json", "not valid JSON"),
        ("[1,2]", "not a JSON object"),
        (#"{"event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{}}"#, "event_id is missing"),
        (#"{"event_id":"e","event_type":"ai.error","timestamp":"2025-10-25T10:30:00Z","payload":{}}"#, "event_type does not match"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"yesterday","payload":{}}"#, "timestamp"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":[]}"#, "payload must be an object"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{"business_id":"b"}}"#, "payload.lead_id is missing"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":7,"business_id":"b"}}"#, "payload.lead_id must be a string"),
        (#"{"event_id":"","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"l","business_id":"b"}}"#, "event_id must be a non-empty"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"l","business_id":"b","lead_score":"86"}}"#, "lead_score must be a number"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"l","business_id":"b","lead_score":101}}"#, "lead_score must be an integer within"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"l","business_id":"b","intent":{"intent":"BUY_NOW","confidence":0.9}}}"#, "not a known intent"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"l","business_id":"b","lead_quality":"lukewarm"}}"#, "lead_quality"),
        (#"{"event_id":"e","event_type":"ai.process.result","timestamp":"2025-10-25T10:30:00Z","payload":{"lead_id":"l","business_id":"b","entities":{"emails":["a\u0000b"]}}}"#, "NUL"),
    ]

    @Test(arguments: badPayloads)
    func rejectsBadPayloads(_ payload: String, _ expected: String) {
        do {
            _ = try InboundDecoder.decode(Array(payload.utf8), as: .result)
            Issue.record("accepted \(payload)")
        } catch {
            #expect(error.code == .invalidPayload)
            #expect(!error.isRetryable)
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func tombstoneIsAPermanentError() {
        #expect(throws: PersistenceError.self) { try InboundDecoder.decode(nil, as: .error) }
    }

    /// Property: arbitrary bytes and every truncation of a valid event never crash the decoder;
    /// truncations always fail (a valid event has no valid proper prefix).
    @Test func decoderSurvivesRandomBytesAndTruncation() {
        var generator = SplitMix64(seed: 0x5eed)
        for _ in 0..<2000 {
            let length = Int(generator.next() % 200)
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? InboundDecoder.decode(bytes, as: .result)
            _ = InboundDecoder.salvageIDs(bytes)
        }
        let valid = ResultSpec().value()
        for cut in 0..<valid.count {
            #expect(throws: PersistenceError.self) { try InboundDecoder.decode(Array(valid[..<cut]), as: .result) }
        }
        #expect(throws: Never.self) { try InboundDecoder.decode(valid, as: .result) }
    }

    // MARK: Follow-ups

    private func result(_ intent: Intent, confidence: Double = 0.95, sentiment: String? = "neutral", suggested: [String] = []) throws -> AIResultEvent {
        var spec = ResultSpec()
        spec.intent = intent.rawValue
        spec.confidence = confidence
        spec.sentiment = sentiment
        spec.suggestedActions = suggested
        guard case .result(let result) = try InboundDecoder.decode(spec.value(), as: .result) else {
            throw PersistenceError(code: .unexpected, message: "not a result")
        }
        return result
    }

    @Test func followUpTable() throws {
        let registry = FollowUpRegistry.standard
        #expect(registry.actions(for: try result(.orderRequest)) == [.orderDraft, .salesNotification(reason: "order_request", priority: .high)])
        #expect(registry.actions(for: try result(.complaint)) == [.supportTicket(category: "complaint", priority: .high)])
        #expect(registry.actions(for: try result(.complaint, sentiment: "negative")) == [.supportTicket(category: "complaint", priority: .urgent)])
        #expect(registry.actions(for: try result(.refundRequest)) == [.supportTicket(category: "refund", priority: .high)])
        #expect(registry.actions(for: try result(.scheduleCall)) == [.callbackTask(kind: "call")])
        #expect(registry.actions(for: try result(.bookingRequest)) == [.callbackTask(kind: "booking")])
        #expect(registry.actions(for: try result(.humanAgent)) == [.salesNotification(reason: "human_agent", priority: .high)])
        #expect(registry.actions(for: try result(.greeting)) == [])
        #expect(registry.actions(for: try result(.greeting, confidence: 0.4)) == [.reviewFlag(reason: "low_confidence")])
        #expect(registry.actions(for: try result(.greeting, suggested: ["flag_for_review"])) == [.reviewFlag(reason: "suggested")])
        #expect(registry.actions(for: try result(.unknown, confidence: 0.2, suggested: ["flag_for_review"])) == [.reviewFlag(reason: "low_confidence")])
    }

    // MARK: Errors and retry

    @Test func classifiesSQLStates() {
        for state in ["08006", "08001", "40001", "40P01", "57P01", "53300"] {
            #expect(PersistenceError.classify(sqlState: state).retryable, "\(state)")
        }
        for state in ["23505", "22P02", "P0001", "54000", "XX000"] {
            #expect(!PersistenceError.classify(sqlState: state).retryable, "\(state)")
        }
        for state in ["42P01", "42501", "28P01", "3D000"] {
            #expect(PersistenceError.classify(sqlState: state) == (.misconfigured, true), "\(state)")
        }
        #expect(PersistenceError.classify(CancellationError()).code == .shutdown)
    }

    @Test func backoffGrowsAndIsCapped() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(2), multiplier: 2, jitter: 0.5)
        #expect(policy.delay(attempt: 1, random: 0) == .milliseconds(50))
        #expect(policy.delay(attempt: 1, random: 1) == .milliseconds(100))
        #expect(policy.delay(attempt: 3, random: 1) == .milliseconds(400))
        #expect(policy.delay(attempt: 30, random: 1) == .seconds(2))
        #expect(policy.delay(attempt: 10_000, random: 0.5) == .milliseconds(1500))
    }

    @Test func retrierRetriesTransientErrorsOnly() async throws {
        let sleeps = Recorder<Duration>()
        let retrier = Retrier(
            policy: RetryPolicy(initialDelay: .milliseconds(100), maximumDelay: .seconds(1), jitter: 0),
            logger: TestDatabase.logger(),
            sleep: { sleeps.append($0) },
            random: { 0.5 }
        )
        let calls = Recorder<Int>()
        let value = try await retrier.run { () async throws(PersistenceError) -> Int in
            calls.append(1)
            if calls.count < 6 { throw PersistenceError(code: .connection, isRetryable: true, message: "lost") }
            return 42
        }
        #expect(value == 42)
        #expect(sleeps.values == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .seconds(1)])

        await #expect(throws: PersistenceError.self) {
            try await retrier.run { () async throws(PersistenceError) -> Int in
                throw PersistenceError(code: .database, message: "constraint")
            }
        }
        #expect(sleeps.values.count == 5)
    }

    @Test func retrierStopsWhenSleepIsCancelled() async {
        let retrier = Retrier(logger: TestDatabase.logger(), sleep: { _ in throw CancellationError() })
        do {
            _ = try await retrier.run { () async throws(PersistenceError) -> Int in
                throw PersistenceError(code: .connection, isRetryable: true, message: "lost")
            }
            Issue.record("did not stop")
        } catch {
            #expect(error.code == .shutdown)
        }
    }

    @Test func deadLetterStorageRoundTrips() {
        let text = DeadLetterEntry.storable(Array("héllo".utf8))
        #expect(text.encoding == "utf8")
        #expect(DeadLetterEntry.bytes(text.text, encoding: text.encoding) == Array("héllo".utf8))
        let binary: [UInt8] = [0xff, 0x00, 0x41]
        let stored = DeadLetterEntry.storable(binary)
        #expect(stored.encoding == "base64")
        #expect(DeadLetterEntry.bytes(stored.text, encoding: stored.encoding) == binary)
        #expect(DeadLetterEntry.storable(nil).text == nil)
    }

    @Test func migrationsAreOrderedAndUnique() {
        let versions = Migrations.all.map(\.version)
        #expect(versions == Array(1...versions.count))
        #expect(Set(Migrations.all.map(\.name)).count == versions.count)
    }
}

/// Deterministic generator for property tests.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A mutex-guarded list for values recorded from @Sendable closures.
final class Recorder<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }
    var values: [Value] { storage.withLock { $0 } }
    var count: Int { storage.withLock { $0.count } }
}
