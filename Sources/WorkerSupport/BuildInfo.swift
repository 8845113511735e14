import Kafka
import Logging
import Observability

/// A daemon's version and the versions of the C libraries it links, for `--version`, the
/// start-up line and the `<app>_build_info` metric. Each library's version comes from its
/// wrapper module (`Kafka.librdkafkaVersion`, …); nothing here imports a C module.
public struct BuildInfo: Sendable {
    /// The daemons' version.
    public static let daemonVersion = "0.1.0"

    public var daemon: String
    public var version: String
    /// (library, version) in the order shown.
    public var libraries: [(name: String, version: String)]

    /// The daemon with librdkafka, which both daemons link.
    public init(daemon: String, version: String = BuildInfo.daemonVersion) {
        self.daemon = daemon
        self.version = version
        libraries = [("librdkafka", librdkafkaVersion)]
    }

    public func adding(_ library: String, version: String) -> BuildInfo {
        var copy = self
        copy.libraries.append((library, version))
        return copy
    }

    /// `ai-worker 0.1.0 (librdkafka 2.0.2, hiredis 0.14.1, libcurl 7.88.1)`.
    public var versionLine: String {
        "\(daemon) \(version) (" + libraries.map { "\($0.name) \($0.version)" }.joined(separator: ", ") + ")"
    }

    /// `["version": …, "librdkafka": …, …]` for the start-up log line.
    public var metadata: Logger.Metadata {
        var metadata: Logger.Metadata = ["version": "\(version)"]
        for library in libraries { metadata[library.name] = "\(library.version)" }
        return metadata
    }

    /// Sets `name{version,<library>…} 1`.
    public func recordMetric(in exporter: MetricsExporter, name: String) {
        exporter.recordInfo(name: name, labels: [("version", version)] + libraries.map { ($0.name, $0.version) })
    }
}
