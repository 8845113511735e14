import Foundation
import SentenceEncoder
import Testing

/// The Swift tokenizer and encoder against Fixtures/ml/reference.json, which
/// scripts/ml/reference.py computes with Hugging Face `tokenizers` and a numpy forward pass.
@Suite struct ReferenceTests {
    @Test func tokenIDsMatchTheReferenceTokenizer() throws {
        let encoder = try TestModel.encoder()
        let fixture = try ReferenceFixture.load()
        #expect(encoder.tokenizer.maxLength == fixture.max_length)
        for reference in fixture.cases {
            #expect(encoder.tokenizer.tokenize(reference.text).ids == reference.ids, "\(reference.text.debugDescription)")
        }
    }

    @Test func embeddingsMatchTheReferenceForwardPass() async throws {
        let encoder = try TestModel.encoder()
        let fixture = try ReferenceFixture.load()
        let texts = fixture.cases.map(\.text)
        let embeddings = try await offPool { encoder.embed(texts, maxBatch: 1) }
        for (reference, embedding) in zip(fixture.cases, embeddings) {
            #expect(embedding.count == 384)
            #expect(cosine(embedding, reference.embedding) >= 0.9999, "\(reference.text.debugDescription)")
            // Tighter than the cosine: float32 against the float64 reference differs by ~2e-7 per
            // component; GELU's tanh approximation instead of erf already differs by ~3e-4.
            #expect(zip(embedding, reference.embedding).allSatisfy { abs($0 - $1) <= 1e-5 }, "\(reference.text.debugDescription)")
        }
    }

    @Test func oneBatchGivesTheSameEmbeddingsAsOneTextAtATime() async throws {
        let encoder = try TestModel.encoder()
        let texts = try ReferenceFixture.load().cases.map(\.text)
        let (alone, batched) = try await offPool { (encoder.embed(texts, maxBatch: 1), encoder.embed(texts, maxBatch: texts.count)) }
        for (index, pair) in zip(alone, batched).enumerated() {
            #expect(cosine(pair.0, pair.1) >= 0.999999, "\(texts[index].debugDescription)")
        }
    }

    @Test func embeddingsHaveUnitLength() throws {
        let encoder = try TestModel.encoder()
        for embedding in encoder.embed(["hello", "", "kitne ka hai?"]) {
            let length = embedding.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
            #expect(abs(length - 1) < 1e-5)
        }
    }
}
