import Events
import Foundation
import Kafka
import Testing
import WorkerSupport

@testable import AIWorkerKit

/// The operations contract against the running ai-worker process: /metrics, /healthz, /readyz,
/// masked logs and trace context (issue 7).
@Suite(.timeLimit(.minutes(4))) struct OperationsTests {
    func worker(_ broker: EmbeddedKafka, port: Int, environment: [String: String] = [:]) throws -> WorkerProcess {
        var overrides = [
            "KAFKA_GROUP_ID": "g-\(UUID().uuidString)", "HTTP_PORT": "\(port)",
            "KAFKA_CONSUMER_CONFIG": mockConsumerTuning + ",statistics.interval.ms=500",
        ]
        overrides.merge(environment) { $1 }
        return try WorkerProcess(brokers: broker.bootstrapServers, extraEnvironment: overrides)
    }

    func metrics(port: Int) async throws -> [PrometheusSample]? {
        guard let reply = await operationsGet(port: port, path: "/metrics"), reply.status == 200 else { return nil }
        return try parsePrometheusText(reply.body)
    }

    @Test func metricsCountProcessedEventsAndReadinessFollowsTheBrokers() async throws {
        let broker = try topicsWithCluster()
        let port = try freeTCPPort()
        let worker = try worker(broker, port: port)

        let health = try await poll("/healthz", watching: worker) { await operationsGet(port: port, path: "/healthz") }
        #expect(health?.status == 200)
        #expect(health?.body.hasPrefix(#"{"status":"ok""#) == true)
        let ready = try await poll("/readyz ready after the group join", watching: worker) { () -> HTTPReply? in
            guard let reply = await operationsGet(port: port, path: "/readyz"), reply.status == 200 else { return nil }
            return reply
        }
        let readyJSON = try JSONParser.parse(ready?.body ?? "")
        #expect(readyJSON["status"]?.stringValue == "ready")
        #expect(readyJSON["checks"]?["kafka_consumer"]?["ready"] == .bool(true))

        let before = try await metrics(port: port) ?? []
        #expect(before.value("aiworker_events_consumed_total") == 0)
        #expect(before.value("aiworker_build_info") == 1)

        let inbound = (0..<20).map { messageEvent(id: "m-\($0)", lead: "lead-\($0 % 4)", text: "price of \($0 % 5 + 1) chairs?") }
        let outbound = (0..<5).map { messageEvent(id: "o-\($0)", lead: "lead-\($0)", text: "Sure, sending it", direction: "outbound") }
        var broken = messageEvent(id: "bad", lead: "lead-x", text: "x")
        broken.value = Array("{not json".utf8)
        try await produce(inbound + outbound + [broken], to: broker)
        _ = try await awaitOutputs(broker, watching: [worker]) { $0.count >= 21 }

        // Deliveries are counted as their acknowledgements arrive: poll until the counts settle.
        let after = try await poll("metrics counting 26 events", watching: worker) { () -> [PrometheusSample]? in
            guard let samples = try await metrics(port: port),
                samples.value("aiworker_events_produced_total") == 21, samples.value("aiworker_events_consumed_total") == 26
            else { return nil }
            return samples
        } ?? []
        #expect(after.value("aiworker_events_consumed_total", ["topic": "lead.message"]) == 26)
        #expect(after.value("aiworker_events_processed_total", ["topic": "lead.message", "outcome": "result"]) == 20)
        #expect(after.value("aiworker_events_processed_total", ["topic": "lead.message", "outcome": "skipped"]) == 5)
        #expect(after.value("aiworker_events_processed_total", ["topic": "lead.message", "outcome": "error"]) == 1)
        #expect(after.value("aiworker_events_failed_total", ["error_code": "INVALID_JSON"]) == 1)
        #expect(after.value("aiworker_events_produced_total", ["topic": "ai.process.result"]) == 20)
        #expect(after.value("aiworker_events_produced_total", ["topic": "ai.error"]) == 1)
        #expect(after.value("aiworker_intents_total", ["intent": "PRICING_INQUIRY", "tier": "rules"]) == 20)
        #expect(after.value("aiworker_processing_duration_seconds_count", ["tier": "rules"]) == 20)
        #expect(after.value("aiworker_processing_duration_seconds_bucket", ["tier": "rules", "le": "+Inf"]) == 20)
        #expect(after.value("aiworker_consumer_rebalances_total", ["kind": "assign"]) >= 1)
        // Gauges are sampled: poll until lag and in-flight show the drained state.
        let drained = try await poll("lag and in-flight gauges at zero", watching: worker) { () -> [PrometheusSample]? in
            guard let samples = try await metrics(port: port), samples.contains(where: { $0.name == "aiworker_consumer_lag_messages" }),
                samples.value("aiworker_consumer_lag_messages") == 0, samples.value("aiworker_events_in_flight") == 0,
                samples.value("aiworker_consumer_assigned_partitions") == 9
            else { return nil }
            return samples
        }
        #expect(drained != nil)

        // All brokers gone: not ready, with the reason; back: ready again.
        for id in 1...broker.brokerCount { broker.setBroker(id, up: false) }
        let down = try await poll("/readyz not ready with the brokers down", watching: worker) { () -> HTTPReply? in
            guard let reply = await operationsGet(port: port, path: "/readyz"), reply.status == 503 else { return nil }
            return reply
        }
        let downJSON = try JSONParser.parse(down?.body ?? "")
        #expect(downJSON["status"]?.stringValue == "not_ready")
        #expect(downJSON["reason"]?.stringValue?.contains("kafka_consumer: broker") == true, "\(down?.body ?? "")")
        #expect((try await metrics(port: port) ?? []).value("aiworker_kafka_client_errors_total") >= 1)
        for id in 1...broker.brokerCount { broker.setBroker(id, up: true) }
        _ = try await poll("/readyz ready after the brokers came back", watching: worker) { () -> HTTPReply? in
            guard let reply = await operationsGet(port: port, path: "/readyz"), reply.status == 200 else { return nil }
            return reply
        }

        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0, "\(worker.log.suffix(2000))")
    }

    @Test func logsMaskPhonesAndEmailsAndCarryTheIds() async throws {
        let broker = try topicsWithCluster()
        let worker = try worker(broker, port: try freeTCPPort(), environment: ["LOG_LEVEL": "debug", "LOG_FORMAT": "json"])
        let phone = "98765 43210"
        let event = messageEvent(
            id: "mask-1", lead: "lead-mask", text: "Need 2 chairs, call me at +91 \(phone) or mail asha.rao@example.com or 9123456789"
        )
        try await produce([event], to: broker)
        _ = try await awaitOutputs(broker, watching: [worker]) { $0.count >= 1 }
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)
        let log = worker.log
        let lines = log.split(separator: "\n").filter { $0.contains(#""message":"Event processed""#) && $0.contains("mask-1") }
        let line = try #require(lines.first, "no per-event line in \(log.suffix(2000))")
        let object = try JSONParser.parse(String(line))
        #expect(object["level"]?.stringValue == "debug")
        #expect(object["event.id"]?.stringValue == "mask-1")
        #expect(object["lead.id"]?.stringValue == "lead-mask")
        #expect(object["kafka.topic"]?.stringValue == "lead.message")
        #expect(object["trace.id"]?.stringValue?.count == 32)
        #expect(object["timestamp"]?.stringValue?.hasSuffix("Z") == true)
        let text = try #require(object["text"]?.stringValue)
        #expect(text.contains("+91 ***** *3210"), "\(text)")
        #expect(text.contains("a***@example.com"), "\(text)")
        #expect(text.contains("******6789"), "\(text)")
        for raw in [phone, "9876543210", "asha.rao@", "9123456789", "912345"] {
            #expect(!log.contains(raw), "raw \(raw) in the log")
        }
        let startup = try #require(log.split(separator: "\n").first { $0.contains(#""message":"Starting ai-worker""#) })
        let startObject = try JSONParser.parse(String(startup))
        for key in ["version", "librdkafka", "hiredis", "libcurl", "config"] {
            #expect(startObject[key]?.stringValue?.isEmpty == false, "start-up line lacks \(key): \(startup)")
        }
    }

    @Test func outputsContinueTheInputTraceAndPassTracestate() async throws {
        let broker = try topicsWithCluster()
        let worker = try worker(broker, port: 0)
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        let parentSpan = "00f067aa0ba902b7"
        var traced = messageEvent(id: "trace-1", lead: "lead-t1", text: "price of 2 chairs?")
        traced.headers = [KafkaHeader(name: "traceparent", string: "00-\(traceID)-\(parentSpan)-01"), KafkaHeader(name: "tracestate", string: "vendor=abc,other=1")]
        var tracedError = messageEvent(id: "trace-2", lead: "lead-t2", text: "x")
        tracedError.value = Array("{not json".utf8)
        tracedError.headers = [KafkaHeader(name: "traceparent", string: "00-\(traceID)-\(parentSpan)-01")]
        var invalid = messageEvent(id: "trace-3", lead: "lead-t3", text: "hello")
        invalid.headers = [KafkaHeader(name: "traceparent", string: "00-00000000000000000000000000000000-\(parentSpan)-01")]
        let plain = messageEvent(id: "trace-4", lead: "lead-t4", text: "hello")
        try await produce([traced, tracedError, invalid, plain], to: broker)
        let outputs = try await awaitOutputs(broker, watching: [worker]) { $0.count >= 4 }
        worker.signal(SIGTERM)
        #expect(await worker.waitForExit() == 0)

        func header(_ output: Output?, _ name: String) -> String? {
            output?.headers.last { $0.name == name }?.value.map { String(decoding: $0, as: UTF8.self) }
        }
        func parts(_ output: Output?) -> [Substring] { header(output, "traceparent")?.split(separator: "-") ?? [] }
        let result = outputs.first { $0.sourceEventID == "trace-1" }
        #expect(parts(result).count == 4)
        #expect(parts(result).dropFirst().first == Substring(traceID), "same trace id")
        #expect(parts(result).dropFirst(2).first.map(String.init) != parentSpan, "a new span id")
        #expect(parts(result).dropFirst(2).first?.count == 16)
        #expect(header(result, "tracestate") == "vendor=abc,other=1")
        let error = outputs.first { $0.topic == "ai.error" && $0.key == "lead-t2" }
        #expect(parts(error).dropFirst().first == Substring(traceID), "the ai.error continues the trace too")
        for id in ["trace-3", "trace-4"] {
            let fresh = outputs.first { $0.sourceEventID == id }
            let traceParts = parts(fresh)
            #expect(traceParts.count == 4 && traceParts[0] == "00" && traceParts[1].count == 32, "\(id): \(header(fresh, "traceparent") ?? "none")")
            #expect(traceParts.count > 1 && traceParts[1] != Substring(traceID) && traceParts[1] != "00000000000000000000000000000000")
        }
    }
}
