import Foundation
import Testing

/// What an operator meets first, tried on the real binaries.
@Suite(.timeLimit(.minutes(3))) struct StartupEdgeTests {
    // Issue 11: `ai-worker --version` answered "Unknown option '--version'".
    @Test(arguments: [("ai-worker", ["librdkafka", "hiredis", "libcurl"]), ("backend-worker", ["librdkafka"])])
    func versionNamesTheDaemonAndItsCLibraries(executable: String, libraries: [String]) async throws {
        let worker = try WorkerProcess(brokers: nil, executable: executable, arguments: ["--version"])
        #expect(await worker.waitForExit() == 0)
        let line = worker.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(line.hasPrefix("\(executable) 0.1.0 ("), "\(line)")
        for library in libraries { #expect(line.contains("\(library) "), "\(line)") }
        if executable == "backend-worker" { #expect(!line.contains("libcurl") && !line.contains("hiredis")) }
    }

    // Issue 11: with HTTP_PORT taken (a second replica on one machine) ai-worker started and
    // drained the pipeline, then failed with `bind(descriptor:ptr:bytes:): Address already in use`.
    @Test(arguments: ["ai-worker", "backend-worker"])
    func takenOperationsPortStopsStartUpBeforeThePipeline(executable: String) async throws {
        let taken = try HeldTCPPort()
        let worker = try WorkerProcess(
            brokers: executable == "ai-worker" ? nil : "127.0.0.1:1",
            extraEnvironment: ["HTTP_PORT": "\(taken.port)", "DATABASE_URL": "postgres://postgres@127.0.0.1:1/postgres"],
            executable: executable
        )
        let status = await worker.waitForExit()
        withExtendedLifetime(taken) {}
        let log = worker.log
        #expect(status == 2, "\(log.suffix(1500))")
        let reason = log.split(separator: "\n").last.map(String.init) ?? ""
        #expect(reason.contains("HTTP_PORT") && reason.contains("\(taken.port)") && reason.contains("0 to disable"), "\(reason)")
        #expect(!log.contains("Pipeline started") && !log.contains("Batch pipeline started"), "the pipeline ran before the port was bound")
        #expect(worker.output.isEmpty, "\(worker.output.prefix(500))")
    }

    // Issue 11: the production image started the embedded broker and reported ready when
    // KAFKA_BROKERS was missing. KAFKA_EMBEDDED=off (the image's setting) refuses instead.
    struct EmbeddedModeCase: Sendable, CustomTestStringConvertible {
        var embedded: String
        var brokers: String?
        /// The variable the refusal names, and a part of the expected form it gives.
        var named: String
        var expected: String
        var testDescription: String { "KAFKA_EMBEDDED=\(embedded) KAFKA_BROKERS=\(brokers ?? "unset")" }
    }

    @Test(arguments: [
        EmbeddedModeCase(embedded: "off", brokers: nil, named: "KAFKA_BROKERS", expected: "host:port"),
        EmbeddedModeCase(embedded: "maybe", brokers: nil, named: "KAFKA_EMBEDDED", expected: "one of auto, on, off"),
        EmbeddedModeCase(embedded: "on", brokers: "127.0.0.1:9092", named: "KAFKA_EMBEDDED", expected: "KAFKA_BROKERS"),
    ])
    func embeddedBrokerModeIsCheckedAtStartUp(mode: EmbeddedModeCase) async throws {
        let worker = try WorkerProcess(brokers: mode.brokers, extraEnvironment: ["KAFKA_EMBEDDED": mode.embedded])
        let status = await worker.waitForExit()
        let log = worker.log
        #expect(status == 2, "\(log.suffix(1500))")
        let reason = log.split(separator: "\n").last.map(String.init) ?? ""
        #expect(reason.hasPrefix("ai-worker: invalid \(mode.named)=") && reason.contains(mode.expected), "\(reason)")
        #expect(worker.output.isEmpty, "\(worker.output.prefix(500))")
    }
}
