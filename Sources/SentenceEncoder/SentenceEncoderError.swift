/// The one error of the sentence encoder: reading the model folder, its safetensors weights and
/// vocabulary, and running the executor. All are permanent (a retry reads the same bytes), except
/// `executorShutDown`, which says the request came after or during shutdown.
public struct SentenceEncoderError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let name: String
        public static let fileUnreadable = Code(name: "file_unreadable")
        public static let malformedHeader = Code(name: "malformed_header")
        public static let tensorOutOfBounds = Code(name: "tensor_out_of_bounds")
        public static let unsupportedDType = Code(name: "unsupported_dtype")
        public static let missingTensor = Code(name: "missing_tensor")
        public static let wrongShape = Code(name: "wrong_shape")
        public static let malformedVocabulary = Code(name: "malformed_vocabulary")
        public static let malformedConfig = Code(name: "malformed_config")
        public static let executorShutDown = Code(name: "executor_shut_down")
        public var description: String { name }
    }

    public let code: Code
    /// The file (within the model folder) or tensor the error is about.
    public let subject: String
    /// Detail for `debugDescription`: offsets, sizes, names.
    public let detail: String

    public init(_ code: Code, subject: String, detail: String = "") {
        self.code = code
        self.subject = subject
        self.detail = detail
    }

    public var description: String { "sentence encoder: \(code.name) (\(subject))" }
    public var debugDescription: String { detail.isEmpty ? description : "\(description): \(detail)" }
}
