/// The weights of a BERT encoder, copied out of its safetensors file (`BertModel` names, as
/// sentence-transformers saves them). Linear weights are `[out, in]` row-major, as PyTorch keeps
/// them; each layer's query, key and value projections are stacked into one `[3·hidden, hidden]`
/// matrix so that one sgemm computes all three. Immutable after loading.
final class BertWeights: Sendable {
    struct Norm: Sendable {
        let gamma: [Float]
        let beta: [Float]
    }

    struct Layer: Sendable {
        let queryKeyValue: [Float]
        let queryKeyValueBias: [Float]
        let attentionOutput: [Float]
        let attentionOutputBias: [Float]
        let attentionNorm: Norm
        let intermediate: [Float]
        let intermediateBias: [Float]
        let output: [Float]
        let outputBias: [Float]
        let outputNorm: Norm
    }

    let configuration: BertConfiguration
    let wordEmbeddings: [Float]
    let positionEmbeddings: [Float]
    let tokenTypeEmbeddings: [Float]
    let embeddingNorm: Norm
    let layers: [Layer]

    /// - Throws: `missingTensor`, `wrongShape`, `unsupportedDType` for the first tensor that is
    ///   absent or does not fit `configuration`.
    init(file: SafeTensors, configuration: BertConfiguration) throws {
        let hidden = configuration.hiddenSize
        let inner = configuration.intermediateSize
        func norm(_ prefix: String) throws -> Norm {
            Norm(gamma: try file.floats("\(prefix).weight", shape: [hidden]), beta: try file.floats("\(prefix).bias", shape: [hidden]))
        }
        self.configuration = configuration
        wordEmbeddings = try file.floats("embeddings.word_embeddings.weight", shape: [configuration.vocabularySize, hidden])
        positionEmbeddings = try file.floats("embeddings.position_embeddings.weight", shape: [configuration.maxPositions, hidden])
        tokenTypeEmbeddings = try file.floats("embeddings.token_type_embeddings.weight", shape: [configuration.tokenTypes, hidden])
        embeddingNorm = try norm("embeddings.LayerNorm")
        layers = try (0..<configuration.layers).map { index in
            let prefix = "encoder.layer.\(index)"
            let projections = ["query", "key", "value"].map { "\(prefix).attention.self.\($0)" }
            return Layer(
                queryKeyValue: try projections.flatMap { try file.floats("\($0).weight", shape: [hidden, hidden]) },
                queryKeyValueBias: try projections.flatMap { try file.floats("\($0).bias", shape: [hidden]) },
                attentionOutput: try file.floats("\(prefix).attention.output.dense.weight", shape: [hidden, hidden]),
                attentionOutputBias: try file.floats("\(prefix).attention.output.dense.bias", shape: [hidden]),
                attentionNorm: try norm("\(prefix).attention.output.LayerNorm"),
                intermediate: try file.floats("\(prefix).intermediate.dense.weight", shape: [inner, hidden]),
                intermediateBias: try file.floats("\(prefix).intermediate.dense.bias", shape: [inner]),
                output: try file.floats("\(prefix).output.dense.weight", shape: [hidden, inner]),
                outputBias: try file.floats("\(prefix).output.dense.bias", shape: [hidden]),
                outputNorm: try norm("\(prefix).output.LayerNorm")
            )
        }
    }
}
