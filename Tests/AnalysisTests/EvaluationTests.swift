import Analysis
import AnalysisEvaluation
import Events
import Foundation
import Testing

@Suite("Evaluation report")
struct EvaluationTests {
    func write(_ lines: [String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("analysis-eval-\(UUID().uuidString).jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func scoresIntentsEntitiesAndCalibration() throws {
        let url = try write([
            #"{"id": "a", "text": "I want to order 2 laptops, call 9876543210 tomorrow at 5pm", "reference_time": "2025-10-25T10:30:00+05:30", "timezone": "Asia/Kolkata", "intent": "ORDER_REQUEST", "entities": {"phones": ["+919876543210"], "quantities": [{"value": 2, "product": "laptop"}], "dates": [{"value": "2025-10-26T17:00:00+05:30", "grain": "hour"}]}}"#,
            #"{"id": "b", "text": "hello", "intent": "GREETING", "entities": {}}"#,
            "",
            #"{"id": "c", "text": "where is ORD-1234?", "reference_time": "2013-02-12T04:30:00-02:00", "intent": "REFUND_REQUEST", "entities": {"order_ids": ["ORD-1234"], "emails": ["x@y.com"]}}"#,
        ])
        defer { try? FileManager.default.removeItem(at: url) }
        let report = try EvaluationReport.evaluate(fileURL: url)
        #expect(report.total == 3)
        #expect(report.correct == 2)
        #expect(report.entities["phones"]?.truePositives == 1)
        #expect(report.entities["emails"]?.falseNegatives == 1)
        #expect(report.entities["dates"]?.f1 == 1)
        #expect(report.bands.reduce(0) { $0 + $1.count } == 3)
        let text = try EvaluationReport.run(fileURL: url)
        #expect(text.contains("Intent accuracy"))
        #expect(text.contains("macro-F1"))
        #expect(text.contains("confidence band"))
        #expect(text.contains("quantities"))
    }

    @Test func badLinesAreReportedWithTheirNumber() throws {
        let url = try write([#"{"text": "hi", "intent": "GREETING"}"#, "{not json"])
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: EvaluationError.self) { try EvaluationReport.run(fileURL: url) }
        do { _ = try EvaluationReport.run(fileURL: url) } catch let error as EvaluationError { #expect(error.line == 2) }
        #expect(throws: EvaluationError.self) { try EvaluationReport.run(fileURL: URL(fileURLWithPath: "/nonexistent/eval.jsonl")) }
    }
}
