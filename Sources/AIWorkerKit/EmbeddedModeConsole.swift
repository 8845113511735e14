import Foundation
import Pipeline

/// What `ai-worker` on the embedded broker shows a person trying it: the broker's address,
/// how to produce more, and one line per output.
public enum EmbeddedModeConsole {
    public static func banner(bootstrap: String, fixtures: Int, directory: String) -> [String] {
        [
            "Embedded Kafka broker (librdkafka mock cluster) at \(bootstrap)",
            "Loaded \(fixtures) fixture events from \(directory)/topics; results follow. Produce more with:",
            "  kcat -b \(bootstrap) -P -t lead.message -k <lead_id>   (then type one JSON event per line)",
            "  kcat -b \(bootstrap) -C -t ai.process.result -e      (read the results)",
        ]
    }

    /// Prints `line(for:)` on standard output (the pipeline's output observer).
    @Sendable public static func show(_ summary: OutputSummary) {
        print(line(for: summary))
        fflush(nil)
    }

    public static func line(for summary: OutputSummary) -> String {
        let lead = summary.leadID ?? "-"
        switch summary.kind {
        case .result:
            let confidence = summary.confidence.map { String(format: "%.2f", $0) } ?? "-"
            return "result   \(summary.sourceTopic)  lead=\(lead)  intent=\(summary.intent?.rawValue ?? "-") confidence=\(confidence) tier=\(summary.tier?.rawValue ?? "-")"
        case .error:
            return "ai.error \(summary.sourceTopic)  lead=\(lead)  code=\(summary.errorCode?.rawValue ?? "-")"
        case .skipped:
            return "skipped  \(summary.sourceTopic)  lead=\(lead)  (outbound message)"
        }
    }
}
