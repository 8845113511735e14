import Foundation

/// The parts of the model's `config.json` the forward pass depends on, checked against what
/// this implementation supports (a BERT encoder with absolute positions and exact GELU).
public struct BertConfiguration: Sendable, Equatable, Decodable {
    public var hiddenSize: Int
    public var attentionHeads: Int
    public var layers: Int
    public var intermediateSize: Int
    public var maxPositions: Int
    public var vocabularySize: Int
    public var tokenTypes: Int
    public var layerNormEpsilon: Float
    public var hiddenActivation: String

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", attentionHeads = "num_attention_heads", layers = "num_hidden_layers"
        case intermediateSize = "intermediate_size", maxPositions = "max_position_embeddings", vocabularySize = "vocab_size"
        case tokenTypes = "type_vocab_size", layerNormEpsilon = "layer_norm_eps", hiddenActivation = "hidden_act"
    }

    public var headSize: Int { hiddenSize / attentionHeads }

    /// - Throws: `malformedConfig` when the JSON lacks a field or describes another architecture.
    public static func parse(_ json: Data) throws -> BertConfiguration {
        let configuration: BertConfiguration
        do {
            configuration = try JSONDecoder().decode(BertConfiguration.self, from: json)
        } catch {
            throw SentenceEncoderError(.malformedConfig, subject: "config.json", detail: "\(error)")
        }
        try configuration.validate()
        return configuration
    }

    func validate() throws {
        func refuse(_ detail: String) -> SentenceEncoderError { SentenceEncoderError(.malformedConfig, subject: "config.json", detail: detail) }
        guard hiddenActivation == "gelu" else { throw refuse("hidden_act \(hiddenActivation), only gelu is implemented") }
        let sizes = [hiddenSize, attentionHeads, layers, intermediateSize, maxPositions, vocabularySize, tokenTypes]
        guard sizes.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }) else { throw refuse("sizes \(sizes) must be positive and at most 2^20") }
        guard hiddenSize % attentionHeads == 0 else { throw refuse("hidden_size \(hiddenSize) is not a multiple of \(attentionHeads) heads") }
        guard layerNormEpsilon > 0 else { throw refuse("layer_norm_eps must be positive") }
    }
}
