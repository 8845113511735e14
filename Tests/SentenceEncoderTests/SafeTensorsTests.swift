import Foundation
import SentenceEncoder
import Testing

@Suite struct SafeTensorsTests {
    /// A file with the given header JSON, padded as the format allows, and `data` after it.
    static func file(header: String, data: [UInt8]) -> Data {
        let headerBytes = Array(header.utf8)
        var bytes = withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { Array($0) }
        bytes += headerBytes
        bytes += data
        return Data(bytes)
    }

    static func floatBytes(_ values: [Float]) -> [UInt8] {
        values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian) { Array($0) } }
    }

    static let valid = file(
        header: #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"b":{"dtype":"I64","shape":[1],"data_offsets":[24,32]}}"#,
        data: floatBytes([1, -2, 3.5, 0, 1e-7, -65504]) + Array(repeating: 7, count: 8)
    )

    @Test func readsTensorsMetadataAndLittleEndianFloats() throws {
        let file = try SafeTensors(bytes: Self.valid)
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensors["a"].map { [$0.dtype, "\($0.shape)", "\($0.byteRange)"] } == ["F32", "[2, 3]", "0..<24"])
        #expect(file.tensors["b"]?.dtype == "I64")
        #expect(try file.floats("a", shape: [2, 3]) == [1, -2, 3.5, 0, 1e-7, -65504])
    }

    @Test func namesTheTensorThatIsMissingMisshapenOrOfAnotherType() throws {
        let file = try SafeTensors(bytes: Self.valid)
        #expect(throws: SentenceEncoderError(.missingTensor, subject: "c")) { try file.floats("c", shape: [1]) }
        #expect(throws: SentenceEncoderError.self) { try file.floats("a", shape: [3, 2]) }
        #expect { try file.floats("b", shape: [1]) } throws: { ($0 as? SentenceEncoderError)?.code == .unsupportedDType }
    }

    @Test(arguments: [
        (#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}"#, SentenceEncoderError.Code.tensorOutOfBounds),
        (#"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,8]}}"#, .tensorOutOfBounds),
        (#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[8,4]}}"#, .malformedHeader),
        (#"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, .malformedHeader),
        (#"{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}"#, .malformedHeader),
        (#"{"a":{"dtype":"F32","shape":[4503599627370496,4503599627370496],"data_offsets":[0,8]}}"#, .malformedHeader),
        (#"{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}}"#, .unsupportedDType),
        (#"{"a":{"dtype":"F32","shape":[1]}}"#, .malformedHeader),
        (#"{"a":[1,2]}"#, .malformedHeader),
        (#"{"__metadata__":{"n":1}}"#, .malformedHeader),
        (#"[1,2,3]"#, .malformedHeader),
        (#"{"a":"#, .malformedHeader),
    ])
    func refusesMalformedHeaders(header: String, code: SentenceEncoderError.Code) {
        #expect { try SafeTensors(bytes: Self.file(header: header, data: Self.floatBytes([1, 2]))) } throws: {
            ($0 as? SentenceEncoderError)?.code == code
        }
    }

    @Test func refusesAHeaderLengthPastTheEndOfTheFile() {
        var bytes = [UInt8](Self.valid)
        bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { Array($0) })
        #expect { try SafeTensors(bytes: Data(bytes)) } throws: { ($0 as? SentenceEncoderError)?.code == .malformedHeader }
        bytes.replaceSubrange(0..<8, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect { try SafeTensors(bytes: Data(bytes)) } throws: { ($0 as? SentenceEncoderError)?.code == .malformedHeader }
    }

    @Test func everyTruncationOfAValidFileIsRefused() {
        for length in 0..<Self.valid.count {
            #expect(throws: SentenceEncoderError.self) { try SafeTensors(bytes: Self.valid.prefix(length)) }
        }
    }

    @Test func randomBytesAndRandomByteFlipsNeverCrash() throws {
        var generator = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let noise = (0..<Int(generator.next() % 64)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            _ = try? SafeTensors(bytes: Data(noise))
            var flipped = [UInt8](Self.valid)
            flipped[Int(generator.next() % UInt64(flipped.count))] ^= UInt8(truncatingIfNeeded: generator.next() | 1)
            if let file = try? SafeTensors(bytes: Data(flipped)), let tensor = file.tensors["a"], tensor.dtype == "F32" {
                _ = try? file.floats("a", shape: tensor.shape)
            }
        }
    }

    @Test func anUnreadableFileIsNamed() {
        let url = URL(fileURLWithPath: "/nonexistent/model.safetensors")
        #expect { try SafeTensors(contentsOf: url) } throws: {
            ($0 as? SentenceEncoderError).map { $0.code == .fileUnreadable && $0.subject == "model.safetensors" } ?? false
        }
    }
}
