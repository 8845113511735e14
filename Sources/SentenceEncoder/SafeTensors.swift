import Foundation

/// A safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range in the data section that follows, then the data.
///
/// The file is memory-mapped; the header is checked whole when the file is opened (every range
/// inside the data section, sizes matching shapes and dtypes), so reading a tensor afterwards
/// cannot go out of bounds. `floats` copies an F32 tensor out as host-order `Float`s.
public struct SafeTensors: Sendable {
    public struct Tensor: Sendable, Equatable {
        public let dtype: String
        public let shape: [Int]
        /// Byte range within the data section.
        public let byteRange: Range<Int>
    }

    /// Bytes per element of the dtypes the format defines.
    static let elementSizes: [String: Int] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1, "I16": 2, "U16": 2, "F16": 2, "BF16": 2,
        "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8,
    ]
    /// Larger headers are refused before parsing (the format's own limit is 100 MB).
    static let maxHeaderBytes = 100_000_000

    public let tensors: [String: Tensor]
    public let metadata: [String: String]
    private let bytes: Data
    private let dataStart: Int
    private let fileName: String

    /// - Throws: `fileUnreadable`, `malformedHeader`, `unsupportedDType`, `tensorOutOfBounds`.
    public init(contentsOf url: URL) throws {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw SentenceEncoderError(.fileUnreadable, subject: url.lastPathComponent, detail: "\(error)")
        }
        try self.init(bytes: bytes, fileName: url.lastPathComponent)
    }

    public init(bytes: Data, fileName: String = "model.safetensors") throws {
        func malformed(_ detail: String) -> SentenceEncoderError { SentenceEncoderError(.malformedHeader, subject: fileName, detail: detail) }
        guard bytes.count >= 8 else { throw malformed("file of \(bytes.count) bytes has no header length") }
        let headerLength = bytes.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(min(Self.maxHeaderBytes, bytes.count - 8)) else {
            throw malformed("header length \(headerLength) exceeds the \(bytes.count - 8) bytes after it")
        }
        let headerEnd = bytes.startIndex + 8 + Int(headerLength)
        let header: Any
        do {
            header = try JSONSerialization.jsonObject(with: bytes[(bytes.startIndex + 8)..<headerEnd])
        } catch {
            throw malformed("header is not JSON")
        }
        guard let entries = header as? [String: Any] else { throw malformed("header is not a JSON object") }
        let dataLength = bytes.count - 8 - Int(headerLength)
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, value) in entries {
            if name == "__metadata__" {
                guard let pairs = value as? [String: Any] else { throw malformed("__metadata__ is not an object") }
                for (key, item) in pairs {
                    guard let text = item as? String else { throw malformed("__metadata__ value for \(key) is not a string") }
                    metadata[key] = text
                }
                continue
            }
            tensors[name] = try Self.tensor(name, from: value, dataLength: dataLength, fileName: fileName)
        }
        self.tensors = tensors
        self.metadata = metadata
        self.bytes = bytes
        self.dataStart = 8 + Int(headerLength)
        self.fileName = fileName
    }

    private static func tensor(_ name: String, from value: Any, dataLength: Int, fileName: String) throws -> Tensor {
        func malformed(_ detail: String) -> SentenceEncoderError { SentenceEncoderError(.malformedHeader, subject: fileName, detail: "\(name): \(detail)") }
        guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
            let shapeValues = entry["shape"] as? [Any], let offsetValues = entry["data_offsets"] as? [Any]
        else { throw malformed("entry needs dtype, shape and data_offsets") }
        let shape = try shapeValues.map { item in
            guard let dimension = nonNegativeInteger(item) else { throw malformed("shape holds \(item)") }
            return dimension
        }
        guard offsetValues.count == 2, let begin = nonNegativeInteger(offsetValues[0]), let end = nonNegativeInteger(offsetValues[1]), begin <= end else {
            throw malformed("data_offsets must be two ascending non-negative integers")
        }
        guard let elementSize = elementSizes[dtype] else {
            throw SentenceEncoderError(.unsupportedDType, subject: name, detail: "dtype \(dtype)")
        }
        var elements = 1
        for dimension in shape {
            let (product, overflow) = elements.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw malformed("shape \(shape) overflows") }
            elements = product
        }
        let (byteCount, overflow) = elements.multipliedReportingOverflow(by: elementSize)
        guard end <= dataLength else {
            throw SentenceEncoderError(.tensorOutOfBounds, subject: name, detail: "bytes \(begin)..<\(end) past the data section's \(dataLength)")
        }
        guard !overflow, byteCount == end - begin else {
            throw SentenceEncoderError(.tensorOutOfBounds, subject: name, detail: "\(end - begin) bytes for shape \(shape) of \(dtype)")
        }
        return Tensor(dtype: dtype, shape: shape, byteRange: begin..<end)
    }

    private static func nonNegativeInteger(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        guard double >= 0, double < 0x1p53, double == double.rounded() else { return nil }
        return Int(double)
    }

    /// The F32 tensor `name`, checked against `shape`.
    /// - Throws: `missingTensor`, `wrongShape`, `unsupportedDType`.
    public func floats(_ name: String, shape expected: [Int]) throws -> [Float] {
        guard let tensor = tensors[name] else { throw SentenceEncoderError(.missingTensor, subject: name) }
        guard tensor.shape == expected else { throw SentenceEncoderError(.wrongShape, subject: name, detail: "shape \(tensor.shape), expected \(expected)") }
        guard tensor.dtype == "F32" else { throw SentenceEncoderError(.unsupportedDType, subject: name, detail: "dtype \(tensor.dtype), expected F32") }
        let count = tensor.byteRange.count / 4
        let start = bytes.startIndex + dataStart + tensor.byteRange.lowerBound
        var values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            bytes[start..<(start + tensor.byteRange.count)].withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: raw)
            }
            initialized = count
        }
        #if _endian(big)
        for index in values.indices { values[index] = Float(bitPattern: UInt32(littleEndian: values[index].bitPattern)) }
        #endif
        return values
    }
}
