import CRdKafka
import Logging

/// The object every handle's opaque points to: it carries the logger that librdkafka's own
/// log lines go to (instead of standard error). Handle-specific callbacks subclass it.
class HandleContext: @unchecked Sendable {
    // Immutable after init; subclasses add only Sendable state.
    let logger: Logger
    init(logger: Logger) { self.logger = logger }

    /// Routes librdkafka's logs through `logger` (syslog levels: 0–3 error, 4 warning, 5–6 info, 7 debug).
    static func install(on conf: OpaquePointer, context: HandleContext) {
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            guard let rk, let opaque = rd_kafka_opaque(rk), let message else { return }
            let context = Unmanaged<HandleContext>.fromOpaque(opaque).takeUnretainedValue()
            let swiftLevel: Logger.Level = switch level {
            case ...3: .error
            case 4: .warning
            case 5, 6: .info
            default: .debug
            }
            context.logger.log(
                level: swiftLevel, "librdkafka",
                metadata: ["facility": "\(facility.map { String(cString: $0) } ?? "")", "detail": "\(String(cString: message))"]
            )
        }
    }
}
