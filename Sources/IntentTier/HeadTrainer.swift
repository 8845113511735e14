import Foundation

/// Trains a softmax regression deterministically: features standardised (mean 0, variance 1 per
/// dimension, folded back into the weights at the end), weights from zero, full-batch gradient
/// descent with momentum on the mean cross-entropy plus an L2 penalty, a fixed number of epochs,
/// every sum in `Double` in a fixed order. The same inputs give the same weights bit for bit.
///
/// The step is `1 / L`, with `L = λmax(XᵀX/n) / 2 + l2` bounding the loss's curvature (λmax by
/// power iteration), so descent converges instead of oscillating, and inputs that differ in
/// their last bits give weights that differ about as little.
public struct HeadTrainer: Sendable {
    public var epochs = 300
    public var momentum = 0.9
    public var l2 = 1e-3

    public init() {}

    /// λmax of `XᵀX / n` by 100 steps of power iteration from the all-ones vector.
    static func largestEigenvalue(_ x: [[Double]], dimension: Int) -> Double {
        var vector = [Double](repeating: 1 / Double(dimension).squareRoot(), count: dimension)
        var eigenvalue = 0.0
        for _ in 0..<100 {
            var next = [Double](repeating: 0, count: dimension)
            for row in x {
                var projection = 0.0
                for j in 0..<dimension { projection += row[j] * vector[j] }
                for j in 0..<dimension { next[j] += projection * row[j] }
            }
            next = next.map { $0 / Double(x.count) }
            eigenvalue = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard eigenvalue > 0 else { return 0 }
            vector = next.map { $0 / eigenvalue }
        }
        return eigenvalue
    }

    /// - Parameters:
    ///   - features: one embedding per example, all of the same dimension.
    ///   - labels: the class index of each example, below `classes`.
    /// - Returns: `weights[classes][dimension]` and `bias[classes]` for raw (unstandardised)
    ///   features, and the step size used.
    public func train(features: [[Float]], labels: [Int], classes: Int) -> (weights: [[Double]], bias: [Double], learningRate: Double) {
        let count = features.count
        let dimension = features.first?.count ?? 0
        guard count > 0, dimension > 0 else { return (Array(repeating: Array(repeating: 0, count: dimension), count: classes), Array(repeating: 0, count: classes), 0) }
        var mean = [Double](repeating: 0, count: dimension)
        for row in features { for j in 0..<dimension { mean[j] += Double(row[j]) } }
        mean = mean.map { $0 / Double(count) }
        var deviation = [Double](repeating: 0, count: dimension)
        for row in features { for j in 0..<dimension { deviation[j] += (Double(row[j]) - mean[j]) * (Double(row[j]) - mean[j]) } }
        deviation = deviation.map { max(($0 / Double(count)).squareRoot(), 1e-8) }
        let x = features.map { row in (0..<dimension).map { (Double(row[$0]) - mean[$0]) / deviation[$0] } }
        let learningRate = 1 / (Self.largestEigenvalue(x, dimension: dimension) / 2 + l2)

        var weights = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: classes)
        var bias = [Double](repeating: 0, count: classes)
        var weightVelocity = weights
        var biasVelocity = bias
        for _ in 0..<epochs {
            var weightGradient = [[Double]](repeating: [Double](repeating: 0, count: dimension), count: classes)
            var biasGradient = [Double](repeating: 0, count: classes)
            for (row, label) in zip(x, labels) {
                var logits = bias
                for k in 0..<classes {
                    var sum = 0.0
                    for j in 0..<dimension { sum += weights[k][j] * row[j] }
                    logits[k] += sum
                }
                let probabilities = IntentHead.softmax(logits)
                for k in 0..<classes {
                    let error = probabilities[k] - (k == label ? 1 : 0)
                    biasGradient[k] += error
                    for j in 0..<dimension { weightGradient[k][j] += error * row[j] }
                }
            }
            for k in 0..<classes {
                biasVelocity[k] = momentum * biasVelocity[k] - learningRate * biasGradient[k] / Double(count)
                bias[k] += biasVelocity[k]
                for j in 0..<dimension {
                    let gradient = weightGradient[k][j] / Double(count) + l2 * weights[k][j]
                    weightVelocity[k][j] = momentum * weightVelocity[k][j] - learningRate * gradient
                    weights[k][j] += weightVelocity[k][j]
                }
            }
        }
        let rawWeights = weights.map { row in (0..<dimension).map { row[$0] / deviation[$0] } }
        let rawBias = (0..<classes).map { k in bias[k] - (0..<dimension).reduce(0.0) { $0 + rawWeights[k][$1] * mean[$1] } }
        return (rawWeights, rawBias, learningRate)
    }
}
