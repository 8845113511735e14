import SentenceEncoder
import Testing

@Suite struct EncoderExecutorTests {
    static let texts = ["Do you have this in red?", "cancel my order", "kitne ka hai bhai", "", "what are your hours on sunday", "ok 👍"]

    @Test func concurrentRequestsGetTheirOwnEmbeddingsInOrder() async throws {
        let encoder = try TestModel.encoder()
        let expected = try await offPool { encoder.embed(Self.texts, maxBatch: 1) }
        let executor = EncoderExecutor(encoder: encoder, threads: 2, maxBatch: 4)
        let results = try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            for request in 0..<24 {
                let texts = (0...(request % 3)).map { Self.texts[(request + $0) % Self.texts.count] }
                group.addTask { (request, try await executor.embed(texts)) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        await executor.shutdown()
        #expect(results.count == 24)
        for (request, embeddings) in results {
            #expect(embeddings.count == request % 3 + 1)
            for (offset, embedding) in embeddings.enumerated() {
                #expect(cosine(embedding, expected[(request + offset) % Self.texts.count]) >= 0.999999)
            }
        }
    }

    @Test func anEmptyRequestNeedsNoThread() async throws {
        let executor = EncoderExecutor(encoder: try TestModel.encoder(), threads: 1)
        #expect(try await executor.embed([]).isEmpty)
        await executor.shutdown()
    }

    @Test func requestsAfterShutdownFailWithANamedError() async throws {
        let executor = EncoderExecutor(encoder: try TestModel.encoder(), threads: 1)
        _ = try await executor.embed(["first"])
        await executor.shutdown()
        await executor.shutdown()
        await #expect { try await executor.embed(["late"]) } throws: { ($0 as? SentenceEncoderError)?.code == .executorShutDown }
    }
}
