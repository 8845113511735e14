import Events
import Foundation
import Testing
import WorkerSupport

/// The log stream as an operator's collector reads it: one stream, and in JSON mode one JSON
/// object per line.
@Suite(.timeLimit(.minutes(3))) struct LogStreamTests {
    // Issue 11: with LOG_FORMAT=json on the embedded broker, the banner and the per-output lines
    // were plain text on standard output, beside JSON logs on standard error.
    @Test func embeddedModeInJSONWritesOnlyJSONObjectsToStandardError() async throws {
        let fixtures = try Fixtures.loadTopics(directory: packageRoot.appendingPathComponent("Fixtures").path).count
        let port = try freeTCPPort()
        let worker = try WorkerProcess(brokers: nil, extraEnvironment: ["HTTP_PORT": "\(port)", "LOG_FORMAT": "json"])
        _ = try await poll("every fixture processed", watching: worker) { () async -> Bool? in
            guard let reply = await operationsGet(port: port, path: "/metrics"), let samples = try? parsePrometheusText(reply.body) else { return nil }
            return samples.value("aiworker_events_processed_total") >= Double(fixtures) ? true : nil
        }
        worker.signal(SIGTERM)
        let status = await worker.waitForExit()
        let log = worker.log
        #expect(status == 0, "\(log.suffix(1500))")
        #expect(worker.output.isEmpty, "standard output: \(worker.output.prefix(500))")
        let lines = log.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        let notJSON = lines.filter { line in (try? JSONParser.parse(Array(line.utf8)))?.objectValue == nil }
        #expect(notJSON.isEmpty, "\(notJSON.count) lines are not JSON objects: \(notJSON.prefix(3))")
        #expect(lines.contains { $0.contains(#""kafka.bootstrap":"#) }, "the embedded broker's address is logged")
        let outputLines = lines.filter { $0.contains(#""message":"Output""#) }
        #expect(outputLines.count == fixtures, "one record per fixture output: \(outputLines.count) of \(fixtures)")
    }
}
