import COpenBLAS
import Foundation

/// The forward pass of a BERT sentence encoder with mean pooling and L2 normalisation
/// (sentence-transformers' all-MiniLM-L6-v2 pipeline), over OpenBLAS's sgemm.
///
/// A batch is packed, not padded: the per-token steps (projections, LayerNorm, feed-forward) run
/// as one sgemm over every real token of every sequence, and attention runs per sequence over its
/// own tokens. That is exactly the padded forward with an attention mask (masked scores get
/// weight 0, the mean pools over the mask), without computing the padding.
///
/// Blocking and CPU-bound: call it from a thread the caller owns (`EncoderExecutor`'s), never the
/// cooperative pool.
struct BertForward: Sendable {
    let weights: BertWeights

    init(weights: BertWeights) {
        self.weights = weights
        shim_openblas_single_threaded()
    }

    /// One unit-length embedding per sequence of token ids (each id below the vocabulary size,
    /// each sequence non-empty and no longer than the position table).
    func embed(_ sequences: [[Int32]], workspace: EncoderWorkspace) -> [[Float]] {
        let configuration = weights.configuration
        let hidden = configuration.hiddenSize
        let tokens = sequences.reduce(0) { $0 + $1.count }
        let longest = sequences.map(\.count).max() ?? 0
        guard tokens > 0 else { return sequences.map { _ in [Float](repeating: 0, count: hidden) } }
        workspace.reserve(tokens: tokens, longest: longest, configuration: configuration)
        let state = workspace.hidden.pointer
        writeEmbeddings(sequences, into: state)
        for layer in weights.layers {
            attend(sequences, layer: layer, workspace: workspace)
            feedForward(rows: tokens, layer: layer, workspace: workspace)
        }
        var embeddings: [[Float]] = []
        var row = 0
        for sequence in sequences {
            embeddings.append(Self.meanPooledUnitVector(state + row * hidden, rows: sequence.count, width: hidden))
            row += sequence.count
        }
        return embeddings
    }

    private func writeEmbeddings(_ sequences: [[Int32]], into state: UnsafeMutablePointer<Float>) {
        let hidden = weights.configuration.hiddenSize
        var row = 0
        weights.wordEmbeddings.withUnsafeBufferPointer { words in
            weights.positionEmbeddings.withUnsafeBufferPointer { positions in
                weights.tokenTypeEmbeddings.withUnsafeBufferPointer { types in
                    for sequence in sequences {
                        for (position, id) in sequence.enumerated() {
                            let output = state + row * hidden
                            let word = words.baseAddress! + Int(id) * hidden
                            let place = positions.baseAddress! + position * hidden
                            for index in 0..<hidden { output[index] = word[index] + place[index] + types[index] }
                            row += 1
                        }
                    }
                }
            }
        }
        layerNorm(state, rows: row, norm: weights.embeddingNorm)
    }

    private func attend(_ sequences: [[Int32]], layer: BertWeights.Layer, workspace: EncoderWorkspace) {
        let configuration = weights.configuration
        let hidden = configuration.hiddenSize
        let headSize = configuration.headSize
        let stride = 3 * hidden
        let tokens = sequences.reduce(0) { $0 + $1.count }
        let qkv = workspace.queryKeyValue.pointer
        let context = workspace.context.pointer
        let scores = workspace.scores.pointer
        Self.linear(workspace.hidden.pointer, rows: tokens, inputs: hidden, weight: layer.queryKeyValue, bias: layer.queryKeyValueBias, into: qkv)
        let scale = 1 / Float(headSize).squareRoot()
        var row = 0
        for sequence in sequences {
            let count = Int32(sequence.count)
            for head in 0..<configuration.attentionHeads {
                let query = qkv + row * stride + head * headSize
                let key = query + hidden
                let value = query + 2 * hidden
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, count, count, Int32(headSize), scale, query, Int32(stride), key, Int32(stride), 0, scores, count)
                Self.softmaxRows(scores, rows: sequence.count, width: sequence.count)
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans, count, Int32(headSize), count, 1, scores, count, value, Int32(stride), 0,
                    context + row * hidden + head * headSize, Int32(hidden)
                )
            }
            row += sequence.count
        }
        let projected = workspace.projected.pointer
        Self.linear(context, rows: tokens, inputs: hidden, weight: layer.attentionOutput, bias: layer.attentionOutputBias, into: projected)
        residualNorm(projected, rows: tokens, norm: layer.attentionNorm, into: workspace.hidden.pointer)
    }

    private func feedForward(rows: Int, layer: BertWeights.Layer, workspace: EncoderWorkspace) {
        let configuration = weights.configuration
        let inner = workspace.intermediate.pointer
        Self.linear(workspace.hidden.pointer, rows: rows, inputs: configuration.hiddenSize, weight: layer.intermediate, bias: layer.intermediateBias, into: inner)
        for index in 0..<(rows * configuration.intermediateSize) {
            let x = inner[index]
            inner[index] = 0.5 * x * (1 + Self.erf(x * 0.70710678118654752))
        }
        let projected = workspace.projected.pointer
        Self.linear(inner, rows: rows, inputs: configuration.intermediateSize, weight: layer.output, bias: layer.outputBias, into: projected)
        residualNorm(projected, rows: rows, norm: layer.outputNorm, into: workspace.hidden.pointer)
    }

    /// `state = LayerNorm(projected + state)`.
    private func residualNorm(_ projected: UnsafeMutablePointer<Float>, rows: Int, norm: BertWeights.Norm, into state: UnsafeMutablePointer<Float>) {
        let count = rows * weights.configuration.hiddenSize
        for index in 0..<count { state[index] += projected[index] }
        layerNorm(state, rows: rows, norm: norm)
    }

    private func layerNorm(_ matrix: UnsafeMutablePointer<Float>, rows: Int, norm: BertWeights.Norm) {
        let width = weights.configuration.hiddenSize
        let epsilon = weights.configuration.layerNormEpsilon
        norm.gamma.withUnsafeBufferPointer { gamma in
            norm.beta.withUnsafeBufferPointer { beta in
                for row in 0..<rows {
                    let values = matrix + row * width
                    var sum: Float = 0
                    for index in 0..<width { sum += values[index] }
                    let mean = sum / Float(width)
                    var squares: Float = 0
                    for index in 0..<width {
                        let centred = values[index] - mean
                        squares += centred * centred
                    }
                    let inverse = 1 / (squares / Float(width) + epsilon).squareRoot()
                    for index in 0..<width { values[index] = (values[index] - mean) * inverse * gamma[index] + beta[index] }
                }
            }
        }
    }

    /// `output[rows, outputs] = input[rows, inputs] · weightᵀ + bias`, weight `[outputs, inputs]`.
    private static func linear(_ input: UnsafePointer<Float>, rows: Int, inputs: Int, weight: [Float], bias: [Float], into output: UnsafeMutablePointer<Float>) {
        let outputs = bias.count
        bias.withUnsafeBufferPointer { bias in
            for row in 0..<rows { (output + row * outputs).update(from: bias.baseAddress!, count: outputs) }
        }
        weight.withUnsafeBufferPointer { weight in
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1, input, Int32(inputs), weight.baseAddress, Int32(inputs), 1,
                output, Int32(outputs)
            )
        }
    }

    /// erf for GELU's exact (erf, not tanh) form, as a branch-free rational approximation that
    /// the compiler vectorises: within 4.3e-7 of erf on all floats (glibc's `erff` is within 5e-8
    /// but costs ~20 ns a call, ~40 % of the whole forward pass). Coefficients as in Eigen's
    /// `generic_fast_erf_float`; beyond ±4 erf is ±1 in single precision.
    @inline(__always)
    static func erf(_ value: Float) -> Float {
        let x = min(max(value, -4), 4)
        let x2 = x * x
        var p: Float = -2.72614225801306e-10
        p = p * x2 + 2.77068142495902e-08
        p = p * x2 - 2.10102402082508e-06
        p = p * x2 - 5.69250639462346e-05
        p = p * x2 - 7.34990630326855e-04
        p = p * x2 - 2.95459980854025e-03
        p = p * x2 - 1.60960333262415e-02
        var q: Float = -1.45660718464996e-05
        q = q * x2 - 2.13374055278905e-04
        q = q * x2 - 1.68282697438203e-03
        q = q * x2 - 7.37332916720468e-03
        q = q * x2 - 1.42647390514189e-02
        return x * p / q
    }

    private static func softmaxRows(_ matrix: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        for row in 0..<rows {
            let values = matrix + row * width
            var largest = -Float.infinity
            for index in 0..<width { largest = max(largest, values[index]) }
            var sum: Float = 0
            for index in 0..<width {
                values[index] = expf(values[index] - largest)
                sum += values[index]
            }
            let inverse = 1 / sum
            for index in 0..<width { values[index] *= inverse }
        }
    }

    private static func meanPooledUnitVector(_ matrix: UnsafePointer<Float>, rows: Int, width: Int) -> [Float] {
        var pooled = [Float](repeating: 0, count: width)
        for row in 0..<rows {
            for index in 0..<width { pooled[index] += matrix[row * width + index] }
        }
        let length = pooled.reduce(0) { $0 + $1 * $1 }.squareRoot() / Float(rows)
        let inverse = 1 / (max(length, 1e-12) * Float(rows))
        return pooled.map { $0 * inverse }
    }
}
