// The log handler (`MaskingLogHandler`, `LogOutput`, `LogMasking`) lives in Observability so
// that both executables and its unit tests share it; importing AIWorkerKit keeps providing it,
// along with the health/metrics server.
@_exported import Observability
