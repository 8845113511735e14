import Foundation
import Testing

/// What an operator meets first, tried on the real binaries.
@Suite struct StartupEdgeTests {
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
}
