import Events
import Foundation
import Logging
import Observability
import Pipeline

/// What `ai-worker` on the embedded broker shows a person trying it: the broker's address,
/// how to produce more, and one line per output. The lines go to standard error with the logs:
/// as plain lines in text format, as log records (JSON) in JSON format.
public struct EmbeddedModeConsole: Sendable {
    /// Metadata keys of the console's own log records (the shared ones are `LogFields`).
    enum LogKeys {
        static let bootstrap = "kafka.bootstrap"
        static let fixtures = "fixtures.loaded"
        static let directory = "fixtures.directory"
        static let produce = "produce.command"
        static let consume = "consume.command"
        static let output = "output"
    }

    private let logger: Logger
    private let format: MaskingLogHandler.Format
    private let output: LogOutput

    public init(logger: Logger, format: MaskingLogHandler.Format, output: LogOutput = .standardError) {
        self.logger = logger
        self.format = format
        self.output = output
    }

    public func showBanner(bootstrap: String, fixtures: Int, directory: String) {
        switch format {
        case .text:
            for line in Self.banner(bootstrap: bootstrap, fixtures: fixtures, directory: directory) { output.write(line + "\n") }
        case .json:
            logger.info("Embedded Kafka broker ready", metadata: [
                LogKeys.bootstrap: "\(bootstrap)", LogKeys.fixtures: "\(fixtures)", LogKeys.directory: "\(directory)/topics",
                LogKeys.produce: "\(Self.produceCommand(bootstrap))", LogKeys.consume: "\(Self.consumeCommand(bootstrap))",
            ])
        }
    }

    /// Shows one output (the pipeline's output observer).
    public func show(_ summary: OutputSummary) {
        switch format {
        case .text: output.write(Self.line(for: summary) + "\n")
        case .json: logger.info("Output", metadata: Self.metadata(for: summary))
        }
    }

    static func banner(bootstrap: String, fixtures: Int, directory: String) -> [String] {
        [
            "Embedded Kafka broker (librdkafka mock cluster) at \(bootstrap)",
            "Loaded \(fixtures) fixture events from \(directory)/topics; results follow. Produce more with:",
            "  \(produceCommand(bootstrap))   (then type one JSON event per line)",
            "  \(consumeCommand(bootstrap))      (read the results)",
        ]
    }

    static func produceCommand(_ bootstrap: String) -> String { "kcat -b \(bootstrap) -P -t lead.message -k <lead_id>" }
    static func consumeCommand(_ bootstrap: String) -> String { "kcat -b \(bootstrap) -C -t ai.process.result -e" }

    static func line(for summary: OutputSummary) -> String {
        let lead = summary.leadID ?? "-"
        switch summary.kind {
        case .result:
            return "result   \(summary.sourceTopic)  lead=\(lead)  intent=\(summary.intent?.rawValue ?? "-") confidence=\(confidence(summary) ?? "-") tier=\(summary.tier?.rawValue ?? "-")"
        case .error:
            return "ai.error \(summary.sourceTopic)  lead=\(lead)  code=\(summary.errorCode?.rawValue ?? "-")"
        case .skipped:
            return "skipped  \(summary.sourceTopic)  lead=\(lead)  (outbound message)"
        }
    }

    static func confidence(_ summary: OutputSummary) -> String? { summary.confidence.map { String(format: "%.2f", $0) } }

    static func metadata(for summary: OutputSummary) -> Logger.Metadata {
        var metadata: Logger.Metadata = [LogKeys.output: "\(summary.kind == .error ? "ai.error" : summary.kind.rawValue)", LogFields.topic: "\(summary.sourceTopic)"]
        metadata[LogFields.leadID] = summary.leadID.map { .string($0) }
        metadata[LogFields.intent] = summary.intent.map { .string($0.rawValue) }
        metadata[LogFields.confidence] = confidence(summary).map { .string($0) }
        metadata[LogFields.tier] = summary.tier.map { .string($0.rawValue) }
        metadata[LogFields.errorCode] = summary.errorCode.map { .string($0.rawValue) }
        return metadata
    }
}
