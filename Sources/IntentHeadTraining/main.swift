import Analysis
import AnalysisEvaluation
import Dispatch
import Events
import Foundation
import Synchronization
import IntentTier
import SentenceEncoder

// intent-head-train: trains the ml tier's intent head (softmax regression over the encoder's
// embeddings) on the training corpus, tunes only the combination weights on the dev split, and
// writes the head. Deterministic: same corpus and model → same bytes.
// Usage: intent-head-train [--train FILE]... [--dev FILE]... [--out FILE]
//        intent-head-train --evaluate FILE... [--out FILE]   (reports the head in FILE-set, trains nothing)
// Defaults: Fixtures/analysis/train/*.jsonl, Fixtures/analysis/dev/*.jsonl, Fixtures/ml/intent-head.json.

struct Example {
    let text: String
    let intent: Intent
    let persona: String
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("intent-head-train: \(message)\n".utf8))
    exit(1)
}

func corpus(_ files: [String]) -> [Example] {
    var examples: [Example] = []
    for file in files {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { fail("cannot read \(file)") }
        for (number, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], let message = object["text"] as? String,
                let label = object["intent"] as? String, let intent = Intent(rawValue: label)
            else { fail("\(file):\(number + 1): expected {\"text\", \"intent\"} with a known intent") }
            examples.append(Example(text: message, intent: intent, persona: object["persona"] as? String ?? ""))
        }
    }
    return examples
}

func files(in directory: String, prefix: String) -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".jsonl") }.sorted().map { "\(directory)/\($0)" }
}

var trainFiles: [String] = []
var devFiles: [String] = []
var evaluateFiles: [String] = []
var output = "Fixtures/ml/intent-head.json"
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard let value = arguments.popFirst() else { fail("\(flag) needs a value") }
    switch flag {
    case "--train": trainFiles.append(value)
    case "--dev": devFiles.append(value)
    case "--out": output = value
    case "--evaluate": evaluateFiles.append(value)
    default: fail("unknown option \(flag)")
    }
}
if trainFiles.isEmpty { trainFiles = files(in: "Fixtures/analysis/train", prefix: "") }
if devFiles.isEmpty { devFiles = files(in: "Fixtures/analysis/dev", prefix: "") }
guard !trainFiles.isEmpty, !devFiles.isEmpty else { fail("no training or dev files (Fixtures/analysis/train/*.jsonl, dev/*.jsonl)") }

let environment = ProcessInfo.processInfo.environment
let modelDirectory = environment["ML_MODEL_DIR"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
    ?? SentenceEncoder.defaultModelDirectory(environment: environment)
let encoder: SentenceEncoder
do { encoder = try SentenceEncoder(modelDirectory: modelDirectory) } catch { fail("\(error) (run scripts/install-model.sh)") }

/// Embeddings in fixed chunks of 32 spread over two threads: each chunk is the same batch on
/// every run, so the floats are too.
func embed(_ texts: [String]) -> [[Float]] {
    let chunk = 32
    let chunks = (texts.count + chunk - 1) / chunk
    let results = Mutex<[Int: [[Float]]]>([:])
    DispatchQueue.concurrentPerform(iterations: chunks) { index in
        let slice = Array(texts[(index * chunk)..<min((index + 1) * chunk, texts.count)])
        let embeddings = encoder.embed(slice, maxBatch: chunk)
        results.withLock { $0[index] = embeddings }
    }
    return results.withLock { stored in (0..<chunks).flatMap { stored[$0]! } }
}

let labels = Intent.allCases
let rules = RulesEngine()
let context = AnalysisContext(referenceTime: Date(timeIntervalSince1970: 1_761_368_400), timeZone: TimeZone(identifier: "Asia/Kolkata")!)

/// Messages with what the rules and the head say of each, for scoring combinations.
struct Scored {
    let examples: [Example]
    let rules: [Analysis]
    let head: [[Double]]
    var isHindi: [Bool] { rules.map { LanguageCode.isHindi($0.language) } }

    func decide(_ index: Int, settings: IntentCombiner.Settings) -> IntentResult {
        let local = rules[index].intent
        guard IntentCombiner.needsHead(local, settings: settings) else { return local }
        return IntentCombiner.combine(rules: local, head: head[index], labels: labels, language: rules[index].language, settings: settings)
    }

    /// The figures `ai-worker evaluate` prints, for `indices` decided with `settings`.
    func scores(_ indices: [Int], settings: IntentCombiner.Settings) -> IntentScores {
        var scores = IntentScores()
        for index in indices {
            scores.add(expected: examples[index].intent, got: decide(index, settings: settings), language: rules[index].language)
        }
        return scores
    }

    func accuracy(_ indices: [Int], settings: IntentCombiner.Settings) -> Double {
        scores(indices, settings: settings).accuracy
    }

    func report(_ name: String, settings: IntentCombiner.Settings) {
        func percent(_ value: Double?) -> String { value.map { String(format: "%5.1f %%", $0 * 100) } ?? "    -  " }
        let rulesOnly = IntentCombiner.Settings(rulesConfident: 0, headWeight: 0, headWeightHinglish: 0)
        let headOnly = IntentCombiner.Settings(rulesConfident: 2, headWeight: 1, headWeightHinglish: 1)
        let hindi = isHindi
        print("\(name) slice".padding(toLength: 20, withPad: " ", startingAt: 0) + "   n   rules    head   rules+ml  LLM share for 90 % (rules → rules+ml)")
        for (slice, indices) in [("all", Array(examples.indices)), ("English", examples.indices.filter { !hindi[$0] }), ("Hindi/Hinglish", examples.indices.filter { hindi[$0] })] {
            let byRules = scores(indices, settings: rulesOnly)
            let combined = scores(indices, settings: settings)
            print(
                "  " + slice.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: "%5d", indices.count) + "  " + percent(byRules.accuracy) + " "
                    + percent(accuracy(indices, settings: headOnly)) + "  " + percent(combined.accuracy) + "   "
                    + percent(byRules.handoff().share) + " → " + percent(combined.handoff().share)
            )
        }
        print("  per label (rules+ml): label, n, precision, recall")
        for row in scores(Array(examples.indices), settings: settings).labels {
            print("    " + row.intent.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0) + String(format: "%4d  ", row.support) + percent(row.precision) + "  " + percent(row.recall))
        }
    }
}

func score(_ examples: [Example], head: IntentHead) -> Scored {
    Scored(examples: examples, rules: examples.map { rules.analyze($0.text, context: context) }, head: embed(examples.map(\.text)).map { head.probabilities($0) })
}

if !evaluateFiles.isEmpty {
    let head: IntentHead
    do {
        head = try IntentHead.parse(Data(contentsOf: URL(fileURLWithPath: output)), expectedDimension: encoder.dimension)
    } catch {
        fail("cannot read the head \(output): \(error)")
    }
    let examples = corpus(evaluateFiles)
    print("evaluating \(output) on \(examples.count) messages from \(evaluateFiles.joined(separator: ", ")) (nothing is tuned)")
    score(examples, head: head).report("evaluation", settings: head.combination)
    exit(0)
}

let train = corpus(trainFiles)
let dev = corpus(devFiles)
print("train: \(train.count) messages from \(trainFiles.joined(separator: ", "))")
print("dev:   \(dev.count) messages from \(devFiles.joined(separator: ", "))")
let start = ContinuousClock.now
let trainEmbeddings = embed(train.map(\.text))
print("embedded the training corpus in \(start.duration(to: .now))")

let trainer = HeadTrainer()
let fitted = trainer.train(features: trainEmbeddings, labels: train.map { labels.firstIndex(of: $0.intent)! }, classes: labels.count)
var head = IntentHead(labels: labels, weights: fitted.weights, bias: fitted.bias, combination: .init(rulesConfident: 0.9, headWeight: 0.5, headWeightHinglish: 0.5))

func argmax(_ values: [Double]) -> Int { values.indices.max { values[$0] < values[$1] || (values[$0] == values[$1] && $0 > $1) }! }
let trainAccuracy = Double(zip(trainEmbeddings, train).filter { labels[argmax(head.probabilities($0.0))] == $0.1.intent }.count) / Double(train.count)

// The combination weights: the only thing tuned on dev, each on its language slice.
let scoredDev = score(dev, head: head)
let devHindi = scoredDev.isHindi
let grid = stride(from: 0.0, through: 1.0, by: 0.05).map { ($0 * 100).rounded() / 100 }
func best(_ slice: [Int], _ settings: (Double) -> IntentCombiner.Settings) -> Double {
    let scores = grid.map { scoredDev.accuracy(slice, settings: settings($0)) }
    return grid[scores.indices.max { scores[$0] < scores[$1] || (scores[$0] == scores[$1] && $0 > $1) }!]
}
let englishWeight = best(dev.indices.filter { !devHindi[$0] }) { .init(rulesConfident: 0.9, headWeight: $0, headWeightHinglish: $0) }
let hindiWeight = best(dev.indices.filter { devHindi[$0] }) { .init(rulesConfident: 0.9, headWeight: englishWeight, headWeightHinglish: $0) }
head.combination = .init(rulesConfident: 0.9, headWeight: englishWeight, headWeightHinglish: hindiWeight)

print(String(format: "head: train accuracy %.1f %% (%d epochs, step %.4f, momentum %.2f, l2 %.0e)", trainAccuracy * 100, trainer.epochs, fitted.learningRate, trainer.momentum, trainer.l2))
print("combination weights (tuned on dev): English \(englishWeight), Hindi/Hinglish \(hindiWeight); rules alone at confidence >= 0.9")
scoredDev.report("dev", settings: head.combination)

let training = [
    "train_files": trainFiles.map { ($0 as NSString).lastPathComponent }.joined(separator: ","), "train_messages": "\(train.count)",
    "dev_files": devFiles.map { ($0 as NSString).lastPathComponent }.joined(separator: ","), "dev_messages": "\(dev.count)",
    "epochs": "\(trainer.epochs)", "step": String(format: "%.6g", fitted.learningRate), "momentum": "\(trainer.momentum)", "l2": "\(trainer.l2)",
    "encoder": "sentence-transformers/all-MiniLM-L6-v2",
]
do {
    try head.serialized(training: training).write(to: URL(fileURLWithPath: output))
} catch {
    fail("cannot write \(output): \(error)")
}
print("wrote \(output)")
