/// A configuration value that does not have the expected form. The daemons print it and exit 2.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    public var variable: String
    public var value: String
    public var expected: String
    public var description: String { "invalid \(variable)=\(value.debugDescription): expected \(expected)" }

    public init(variable: String, value: String, expected: String) {
        self.variable = variable
        self.value = value
        self.expected = expected
    }
}
