import Dispatch
import Foundation
import SentenceEncoder
import Synchronization
import Testing

/// The executor runs forward passes on two threads at once: the BLAS must give exactly what it
/// gives one call at a time (Debian's serial OpenBLAS does not; see Sources/COpenBLAS/shim.h).
@Suite struct ConcurrentBLASTests {
    @Test func concurrentForwardPassesEqualSequentialOnesBitForBit() async throws {
        let encoder = try TestModel.encoder()
        let base = try ReferenceFixture.load().cases.map(\.text)
        let texts = (0..<192).map { "\(base[$0 % base.count]) \($0)" }
        let (sequential, runs) = try await offPool { () -> ([[Float]], [[[Float]]]) in
            let sequential = encoder.embed(texts, maxBatch: 4)
            let runs = (0..<2).map { _ in
                let chunks = Mutex<[Int: [[Float]]]>([:])
                DispatchQueue.concurrentPerform(iterations: 48) { index in
                    let embeddings = encoder.embed(Array(texts[(index * 4)..<((index + 1) * 4)]), maxBatch: 4)
                    chunks.withLock { $0[index] = embeddings }
                }
                return chunks.withLock { stored in (0..<48).flatMap { stored[$0] ?? [] } }
            }
            return (sequential, runs)
        }
        for concurrent in runs {
            #expect(concurrent.count == sequential.count)
            #expect(zip(concurrent, sequential).filter { $0 != $1 }.count == 0)
        }
    }
}
