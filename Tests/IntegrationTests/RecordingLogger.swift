import Events
import Foundation
import Logging
import Synchronization

/// Keeps every log line in memory with the instant it was written, so a timing test that fails
/// can say where the time went.
final class LogRecorder: Sendable {
    private let lines = Mutex<[(at: ContinuousClock.Instant, text: String)]>([])

    func logger(_ label: String = "recorded") -> Logger {
        var logger = Logger(label: label) { _ in Handler(recorder: self) }
        logger.logLevel = .debug
        return logger
    }

    /// The lines written since `origin`, each prefixed with its offset in seconds.
    func transcript(since origin: ContinuousClock.Instant) -> String {
        lines.withLock { lines in
            lines.map { String(format: "%+8.3fs ", ($0.at - origin).inSeconds) + $0.text }.joined(separator: "\n")
        }
    }

    fileprivate func record(_ text: String) {
        let now = ContinuousClock.now
        lines.withLock { $0.append((now, text)) }
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let fields = metadata.merging(event.metadata ?? [:]) { $1 }.map { "\($0)=\($1)" }.sorted().joined(separator: " ")
            recorder.record("\(event.level) \(event.message) \(fields)")
        }
    }
}
