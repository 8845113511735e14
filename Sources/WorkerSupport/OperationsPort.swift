import Observability

extension ConfigError {
    /// `HTTP_PORT` could not be bound (another process, a second replica say, holds it): the
    /// start-up error that says how to get out.
    public init(operationsPort error: OperationsServer.BindError) {
        self.init(
            variable: "HTTP_PORT", value: String(error.port),
            expected: "a port this process can listen on (\(error.port): \(error.reason)); choose another free port, or 0 to disable the operations endpoint"
        )
    }
}
