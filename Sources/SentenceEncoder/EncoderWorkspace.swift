/// One thread's scratch matrices for forward passes, grown to the largest batch seen and reused.
/// Not thread-safe: each executor thread owns one.
final class EncoderWorkspace {
    final class Matrix {
        private(set) var pointer: UnsafeMutablePointer<Float>
        private var capacity: Int

        init() {
            pointer = .allocate(capacity: 1)
            capacity = 1
        }

        func reserve(_ count: Int) {
            guard count > capacity else { return }
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            capacity = count
        }

        deinit { pointer.deallocate() }
    }

    /// `[tokens, hidden]`: the running hidden state.
    let hidden = Matrix()
    /// `[tokens, 3·hidden]`: queries, keys and values side by side.
    let queryKeyValue = Matrix()
    /// `[tokens, hidden]`: attention output before its projection.
    let context = Matrix()
    /// `[tokens, hidden]`: a projection's output before the residual LayerNorm.
    let projected = Matrix()
    /// `[tokens, intermediate]`: the feed-forward's inner activations.
    let intermediate = Matrix()
    /// `[longest, longest]`: one head's attention scores for one sequence.
    let scores = Matrix()

    func reserve(tokens: Int, longest: Int, configuration: BertConfiguration) {
        hidden.reserve(tokens * configuration.hiddenSize)
        queryKeyValue.reserve(tokens * configuration.hiddenSize * 3)
        context.reserve(tokens * configuration.hiddenSize)
        projected.reserve(tokens * configuration.hiddenSize)
        intermediate.reserve(tokens * configuration.intermediateSize)
        scores.reserve(longest * longest)
    }
}
