import Kafka
import Logging
import Synchronization

extension Fixtures {
    /// Produces `records` to `bootstrap` and returns where each landed, in input order (a
    /// failed delivery throws). A `nil` value is sent as a tombstone.
    public static func produce(_ records: [FixtureRecord], bootstrap: String, logger: Logger) async throws -> [DeliveryReport] {
        let collector = DeliveryCollector(count: records.count)
        let properties = KafkaProperties(["bootstrap.servers": bootstrap, "message.max.bytes": "4000000", "linger.ms": "1"])
        let producer = try KafkaProducer(properties: properties, logger: logger) { token, result in
            collector.record(index: Int(token) - 1, result: result)
        }
        for (index, record) in records.enumerated() {
            if let value = record.value {
                try producer.send(OutgoingRecord(topic: record.topic, key: record.key, value: value, headers: record.headers), token: UInt(index + 1))
            } else {
                try producer.sendTombstone(topic: record.topic, key: record.key, headers: record.headers, token: UInt(index + 1))
            }
        }
        return try await collector.wait()
    }
}

/// Gathers the delivery reports of a known number of records.
final class DeliveryCollector: Sendable {
    private struct State {
        var reports: [DeliveryReport?]
        var remaining: Int
        var failure: KafkaError?
        var waiter: CheckedContinuation<[DeliveryReport], any Error>?

        var outcome: Result<[DeliveryReport], any Error> {
            if let failure { return .failure(failure) }
            return .success(reports.compactMap { $0 })
        }
    }
    private let state: Mutex<State>

    init(count: Int) { state = Mutex(State(reports: Array(repeating: nil, count: count), remaining: count)) }

    func record(index: Int, result: Result<DeliveryReport, KafkaError>) {
        let resume: (CheckedContinuation<[DeliveryReport], any Error>, Result<[DeliveryReport], any Error>)? = state.withLock { state in
            switch result {
            case .success(let report): state.reports[index] = report
            case .failure(let error): state.failure = error
            }
            state.remaining -= 1
            guard state.remaining == 0, let waiter = state.waiter.take() else { return nil }
            return (waiter, state.outcome)
        }
        if let (waiter, outcome) = resume { waiter.resume(with: outcome) }
    }

    func wait() async throws -> [DeliveryReport] {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<[DeliveryReport], any Error>? = state.withLock { state in
                guard state.remaining == 0 else {
                    state.waiter = continuation
                    return nil
                }
                return state.outcome
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
