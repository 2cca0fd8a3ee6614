import Foundation

/// k nearest neighbours by IDF-weighted Jaccard similarity of tag sets; the confidence is the winner's share of
/// the similarity-weighted votes, shrunk when the neighbours are only faintly alike.
public struct NearestNeighbourModel: CategoryModel {
    public static let neighbourCount = 9
    private let examples: [TrainingExample]
    private var weights: [LearningTag: Double] = [:]

    public init(examples: [TrainingExample]) {
        self.examples = examples
        var frequency: [LearningTag: Int] = [:]
        for example in examples { for tag in example.tags { frequency[tag, default: 0] += 1 } }
        let count = Double(max(examples.count, 1))
        for (tag, seen) in frequency { weights[tag] = log(1 + count / Double(seen)) }
    }

    public func predict(_ tags: Set<LearningTag>) -> (category: String, confidence: Double)? {
        var scored: [(similarity: Double, category: String)] = []
        for example in examples {
            let similarity = similarity(tags, example.tags)
            if similarity > 0 { scored.append((similarity, example.category)) }
        }
        guard !scored.isEmpty else { return nil }
        scored.sort { $0.similarity > $1.similarity }
        var votes: [String: Double] = [:]
        for neighbour in scored.prefix(Self.neighbourCount) { votes[neighbour.category, default: 0] += neighbour.similarity }
        guard let best = votes.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) else { return nil }
        let total = votes.values.reduce(0, +)
        // Shrinks a vote of a few faint neighbours: 9 identical neighbours give 9 / 9.5 of the share.
        return (best.key, best.value / (total + 0.5))
    }

    /// Σ weights of shared tags / Σ weights of all tags of either image (unknown tags weigh as the rarest).
    private func similarity(_ first: Set<LearningTag>, _ second: Set<LearningTag>) -> Double {
        let unseen = log(1 + Double(max(examples.count, 1)))
        var shared = 0.0
        var union = 0.0
        for tag in first.union(second) {
            let weight = weights[tag] ?? unseen
            union += weight
            if first.contains(tag) && second.contains(tag) { shared += weight }
        }
        return union > 0 ? shared / union : 0
    }
}
