import Foundation

/// Multinomial naive Bayes over the tags present, with Laplace smoothing; tags never seen are ignored.
public struct NaiveBayesModel: CategoryModel {
    private var exampleCounts: [String: Int] = [:]
    private var tagCounts: [String: [LearningTag: Int]] = [:]
    private var tagTotals: [String: Int] = [:]
    private var vocabulary: Set<LearningTag> = []
    private var total = 0

    public init(examples: [TrainingExample]) {
        for example in examples {
            exampleCounts[example.category, default: 0] += 1
            total += 1
            for tag in example.tags {
                tagCounts[example.category, default: [:]][tag, default: 0] += 1
                tagTotals[example.category, default: 0] += 1
                vocabulary.insert(tag)
            }
        }
    }

    public func predict(_ tags: Set<LearningTag>) -> (category: String, confidence: Double)? {
        let known = tags.filter { vocabulary.contains($0) }
        guard total > 0, !known.isEmpty else { return nil }
        let smoothing = 1.0
        let vocabularySize = Double(vocabulary.count)
        var scores: [(String, Double)] = []
        for (category, count) in exampleCounts {
            var score = log(Double(count) / Double(total))
            let denominator = Double(tagTotals[category, default: 0]) + smoothing * vocabularySize
            for tag in known {
                score += log((Double(tagCounts[category]?[tag] ?? 0) + smoothing) / denominator)
            }
            scores.append((category, score))
        }
        guard let best = scores.max(by: { $0.1 < $1.1 }) else { return nil }
        let normalizer = scores.reduce(0.0) { $0 + exp($1.1 - best.1) }
        return (best.0, 1 / normalizer)
    }
}
