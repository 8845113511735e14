import Foundation
import SentenceEncoder

/// The installed all-MiniLM-L6-v2, loaded once for the suites that need it. A missing or
/// unreadable model fails those tests (scripts/test.sh installs it first).
enum TestModel {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let directory: URL = {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["ML_MODEL_DIR"], !configured.isEmpty { return URL(fileURLWithPath: configured) }
        return SentenceEncoder.defaultModelDirectory(environment: environment)
    }()

    private static let loaded = Result { try SentenceEncoder(modelDirectory: directory) }

    struct Missing: Error, CustomStringConvertible {
        let cause: any Error
        var description: String { "no sentence encoder at \(TestModel.directory.path) (run scripts/install-model.sh): \(cause)" }
    }

    static func encoder() throws -> SentenceEncoder {
        try loaded.mapError { Missing(cause: $0) }.get()
    }
}

struct ReferenceFixture: Decodable {
    struct Case: Decodable {
        let text: String
        let ids: [Int32]
        let embedding: [Float]
    }

    let max_length: Int
    let cases: [Case]

    static func load() throws -> ReferenceFixture {
        let url = TestModel.packageRoot.appendingPathComponent("Fixtures/ml/reference.json")
        return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var dot = 0.0, normA = 0.0, normB = 0.0
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        normA += Double(x) * Double(x)
        normB += Double(y) * Double(y)
    }
    return dot / (normA.squareRoot() * normB.squareRoot())
}

/// Runs heavy synchronous work (forward passes in a debug build take seconds) on a thread of its
/// own: the cooperative pool has two threads here, and the suite's other tests run on it in
/// parallel, some of them timed.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
