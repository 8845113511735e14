import Events
import Foundation
import IntentTier
import Testing

@Suite struct IntentHeadTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let small = IntentHead(
        labels: [.greeting, .complaint], weights: [[1, -2, 0.5], [0.25, 3, -1]], bias: [0.1, -0.1],
        combination: .init(rulesConfident: 0.9, headWeight: 0.55, headWeightHinglish: 0.3)
    )

    @Test func softmaxOverLogitsSumsToOne() {
        let probabilities = Self.small.probabilities([1, 0, 0])
        #expect(abs(probabilities.reduce(0, +) - 1) < 1e-12)
        #expect(abs(probabilities[0] - 1 / (1 + exp(0.15 - 1.1))) < 1e-12)
    }

    @Test func serialisesAndParsesBack() throws {
        let json = try Self.small.serialized(training: ["epochs": "3"])
        #expect(try IntentHead.parse(json, expectedDimension: 3) == Self.small)
        #expect(try Self.small.serialized(training: ["epochs": "3"]) == json)
    }

    @Test func refusesHeadsOfAnotherSizeOrWithUnknownLabels() throws {
        let json = try Self.small.serialized(training: [:])
        #expect(throws: IntentTierError.self) { try IntentHead.parse(json, expectedDimension: 384) }
        let unknownLabel = String(decoding: json, as: UTF8.self).replacingOccurrences(of: "GREETING", with: "HELLO")
        #expect(throws: IntentTierError.self) { try IntentHead.parse(Data(unknownLabel.utf8), expectedDimension: 3) }
        #expect(throws: IntentTierError.self) { try IntentHead.parse(Data("{}".utf8), expectedDimension: 3) }
    }

    @Test func theCommittedHeadCoversEveryIntentOverTheEncodersDimension() throws {
        let head = try IntentHead.parse(Data(contentsOf: Self.packageRoot.appendingPathComponent("Fixtures/ml/intent-head.json")), expectedDimension: 384)
        #expect(Set(head.labels) == Set(Intent.allCases))
        #expect((0...1).contains(head.combination.headWeight) && (0...1).contains(head.combination.headWeightHinglish))
    }
}

@Suite struct HeadTrainerTests {
    /// Three clusters around the axes, with a little seeded noise.
    static func clusters() -> (features: [[Float]], labels: [Int]) {
        var state: UInt64 = 11
        func noise() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 1000) / 5000
        }
        var features: [[Float]] = []
        var labels: [Int] = []
        for index in 0..<90 {
            let label = index % 3
            features.append((0..<3).map { ($0 == label ? 1 : 0) + noise() })
            labels.append(label)
        }
        return (features, labels)
    }

    @Test func learnsSeparableClasses() {
        let data = Self.clusters()
        var trainer = HeadTrainer()
        trainer.epochs = 100
        let fitted = trainer.train(features: data.features, labels: data.labels, classes: 3)
        let head = IntentHead(labels: [.greeting, .thanks, .goodbye], weights: fitted.weights, bias: fitted.bias, combination: .init(rulesConfident: 0.9, headWeight: 1, headWeightHinglish: 1))
        for (features, label) in zip(data.features, data.labels) {
            let probabilities = head.probabilities(features)
            #expect(probabilities.indices.max { probabilities[$0] < probabilities[$1] } == label)
        }
    }

    @Test func trainingIsDeterministic() {
        let data = Self.clusters()
        var trainer = HeadTrainer()
        trainer.epochs = 20
        let first = trainer.train(features: data.features, labels: data.labels, classes: 3)
        let second = trainer.train(features: data.features, labels: data.labels, classes: 3)
        #expect(first.weights == second.weights && first.bias == second.bias)
    }
}
