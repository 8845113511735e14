import Foundation
import Logging
import Observability

/// `LOG_LEVEL` and `LOG_FORMAT`, and the one swift-log bootstrap of a daemon.
public struct LogSettings: Sendable {
    public var level = Logger.Level.info
    /// nil → `text` on a terminal, `json` otherwise.
    public var format: MaskingLogHandler.Format?

    public init() {}

    public static let variables: [(name: String, help: String)] = [
        ("LOG_LEVEL", "trace|debug|info|notice|warning|error|critical (default info)"),
        ("LOG_FORMAT", "json|text (default text on a terminal, json otherwise); every line goes to standard error"),
    ]

    public static func read(_ reader: ConfigReader) throws(ConfigError) -> LogSettings {
        var settings = LogSettings()
        if let level = try reader.choice("LOG_LEVEL", Logger.Level.allCases.map(\.rawValue)) {
            settings.level = Logger.Level(rawValue: level) ?? .info
        }
        settings.format = try reader.choice("LOG_FORMAT", ["json", "text"]).flatMap(MaskingLogHandler.Format.init(rawValue:))
        return settings
    }

    /// The format in effect: the configured one, else text when standard error is a terminal.
    public var effectiveFormat: MaskingLogHandler.Format { format ?? (isatty(STDERR_FILENO) == 1 ? .text : .json) }

    /// Bootstraps swift-log once per process (masking handler on standard error) and returns
    /// the daemon's logger.
    public func bootstrap(label: String) -> Logger {
        let format = effectiveFormat
        let level = self.level
        LoggingSystem.bootstrap { label in MaskingLogHandler(label: label, level: level, format: format) }
        return Logger(label: label)
    }
}
