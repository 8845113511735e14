import Foundation
import Testing

/// The ml tier's start-up edges, on the real binary.
@Suite(.timeLimit(.minutes(2))) struct MLTierProcessTests {
    @Test func aConfiguredButUnreadableModelStopsStartUpNamingTheVariable() async throws {
        let worker = try WorkerProcess(
            brokers: nil, extraEnvironment: ["ML_TIER": "on", "ML_MODEL_DIR": "/nonexistent/model"], arguments: ["analyze"]
        )
        #expect(await worker.waitForExit() == 2)
        #expect(worker.log.contains("ML_MODEL_DIR=\"/nonexistent/model\""), "\(worker.log.suffix(500))")
        #expect(worker.log.contains("ML_TIER=off"), "the way out is named")
    }

    @Test func aWrongMLTierValueIsANamedError() async throws {
        let worker = try WorkerProcess(brokers: nil, extraEnvironment: ["ML_TIER": "maybe"], arguments: ["analyze"])
        #expect(await worker.waitForExit() == 2)
        #expect(worker.log.contains("ML_TIER"), "\(worker.log.suffix(500))")
    }
}
