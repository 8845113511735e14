import Foundation
import Kafka
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A TCP port held open (bound on every interface and listening) until this is released: the
/// "port taken by another process" of the operations tests.
final class HeldTCPPort: Sendable {
    let port: Int
    private let socket: Int32

    init() throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = INADDR_ANY
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0, listen(socket, 1) == 0 else {
            close(socket)
            throw TestFailure("bind/listen: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        self.socket = socket
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(socket) }
}

/// A port that was free a moment ago (held, read, released): for HTTP_PORT.
func freeTCPPort() throws -> Int { try HeldTCPPort().port }

struct HTTPReply: Sendable {
    var status: Int
    var body: String
}

/// GET http://127.0.0.1:port/path over a plain socket, on a thread outside the cooperative pool;
/// nil when nothing listens yet.
func operationsGet(port: Int, path: String) async -> HTTPReply? {
    await runBlocking {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return nil }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        guard request.withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == request.count else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            response.append(contentsOf: buffer[0..<count])
        }
        let text = String(decoding: response, as: UTF8.self)
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let statusLine = text[..<split.lowerBound].prefix { $0 != "\r" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        return HTTPReply(status: status, body: String(text[split.upperBound...]))
    }
}

/// Polls `probe` until it returns a value or the deadline passes (then records an issue).
/// Fails early when `watching` exits.
func poll<T: Sendable>(
    _ what: String, timeout: Duration = .seconds(60), every interval: Duration = .milliseconds(200), watching: WorkerProcess? = nil,
    _ probe: @Sendable () async throws -> T?
) async throws -> T? {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await probe() { return value }
        if let watching, !watching.process.isRunning {
            Issue.record("worker exited while waiting for \(what): \(watching.log.suffix(1500))")
            return nil
        }
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out waiting for \(what)\(watching.map { ": \($0.log.suffix(3000))" } ?? "")")
            return nil
        }
        try await Task.sleep(for: interval)
    }
}

/// One sample of the Prometheus text format.
struct PrometheusSample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
}

/// Parses the Prometheus text exposition format (0.0.4) strictly: `# TYPE`/`# HELP` comments,
/// `name{label="value",…} number` samples, every sample's family typed. Throws on anything else.
func parsePrometheusText(_ text: String) throws -> [PrometheusSample] {
    var typed: [String: String] = [:]
    var samples: [PrometheusSample] = []
    func isName(_ name: some StringProtocol) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || first == ":" || ("a"..."z").contains(first) || ("A"..."Z").contains(first) else {
            return false
        }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == ":" }
    }
    for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
        if line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 3)
            guard parts.count >= 3, parts[1] == "TYPE" || parts[1] == "HELP", isName(parts[2]) else { throw TestFailure("bad comment: \(line)") }
            if parts[1] == "TYPE" {
                guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else { throw TestFailure("bad TYPE: \(line)") }
                typed[String(parts[2])] = String(parts[3])
            }
            continue
        }
        var rest = Substring(line)
        let name = rest.prefix { $0 != "{" && $0 != " " }
        guard isName(name) else { throw TestFailure("bad metric name: \(line)") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let key = rest.prefix { $0 != "=" }
                guard isName(key) else { throw TestFailure("bad label name: \(line)") }
                rest = rest.dropFirst(key.count)
                guard rest.hasPrefix("=\"") else { throw TestFailure("bad label: \(line)") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    if character == "\\" {
                        rest = rest.dropFirst()
                        guard let escaped = rest.first else { throw TestFailure("bad escape: \(line)") }
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                    rest = rest.dropFirst()
                }
                guard rest.first == "\"" else { throw TestFailure("unterminated label value: \(line)") }
                rest = rest.dropFirst()
                labels[String(key)] = value
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw TestFailure("no value: \(line)") }
        let valueText = rest.dropFirst().split(separator: " ").first.map(String.init) ?? ""
        let value: Double
        switch valueText {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let parsed = Double(valueText) else { throw TestFailure("bad value: \(line)") }
            value = parsed
        }
        let family = ["_bucket", "_sum", "_count"].reduce(String(name)) { family, suffix in
            family.hasSuffix(suffix) && typed[String(family.dropLast(suffix.count))] == "histogram" ? String(family.dropLast(suffix.count)) : family
        }
        guard typed[family] != nil else { throw TestFailure("sample without # TYPE: \(line)") }
        samples.append(PrometheusSample(name: String(name), labels: labels, value: value))
    }
    return samples
}

extension Array where Element == PrometheusSample {
    /// The sum of the samples named `name` whose labels include `labels`.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double {
        filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }.map(\.value).reduce(0, +)
    }
}
