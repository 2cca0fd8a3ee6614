import Foundation

/// Proposes a category for an image's tags from what the user taught by moving images, and says why.
///
/// The model is trained on every image whose category is known (placed and left alone, or moved by the user), so
/// tags common to every folder carry no weight; a suggestion is used only when the user's own corrections back it.
public struct CategoryLearner: Sendable {
    /// Naive Bayes won the comparison on the generated stream: 0.84 of the last five blocks placed right against
    /// kNN's 0.69 and the rules' 0.57 (`LearningModelTests`).
    public static let defaultModel = CategoryModelKind.naiveBayes

    private let model: any CategoryModel
    /// Each correction's tags and the category it went to.
    private let corrections: [(tags: Set<LearningTag>, chosen: String)]
    private let settings: LearningSettings

    public init(
        examples: [TrainingExample], corrections: [Correction], settings: LearningSettings,
        model: CategoryModelKind = CategoryLearner.defaultModel
    ) {
        self.model = model.make(examples)
        self.corrections = corrections.map { ($0.allTags, $0.chosenCategory) }
        self.settings = settings
    }

    /// The learner's proposal for `tags` (used or not), nil when nothing it learned applies.
    public func suggest(_ tags: [LearningTag]) -> CategorySuggestion? {
        guard !corrections.isEmpty, let (category, confidence) = model.predict(Set(tags)) else { return nil }
        let evidence = Self.evidence(for: category, tags: Set(tags), corrections: corrections)
        let used = confidence >= settings.minConfidence && evidence.support >= settings.minExamples
        let rounded = String(format: "%.2f", confidence)
        let explanation: String
        if let tag = evidence.tag {
            explanation = "learned: \(evidence.support) of \(evidence.seen) images tagged `\(tag)` were moved to \(category)/ "
                + "(confidence \(rounded))"
        } else {
            explanation = "learned: no move of yours supports \(category)/ for these tags (confidence \(rounded))"
        }
        let note = used ? "" : confidence < settings.minConfidence
            ? "; under learning.min_confidence \(settings.minConfidence), the rules decide"
            : "; fewer than learning.min_examples (\(settings.minExamples)) moves support it, the rules decide"
        return CategorySuggestion(
            category: category, confidence: confidence, support: evidence.support, isUsed: used, explanation: explanation + note)
    }

    /// The image's tag that best explains `category` by the user's corrections: among corrections carrying the tag,
    /// how many went to `category` (`support`) out of how many (`seen`); ranked by support / (seen + 1).
    static func evidence(
        for category: String, tags: Set<LearningTag>, corrections: [(tags: Set<LearningTag>, chosen: String)]
    ) -> (tag: LearningTag?, support: Int, seen: Int) {
        var best: (tag: LearningTag?, support: Int, seen: Int) = (nil, 0, 0)
        var bestScore = 0.0
        for tag in tags.sorted() {
            var seen = 0
            var support = 0
            for correction in corrections where correction.tags.contains(tag) {
                seen += 1
                if correction.chosen == category { support += 1 }
            }
            let score = Double(support) / Double(seen + 1)
            if support > 0 && (score > bestScore || (score == bestScore && support > best.support)) {
                best = (tag, support, seen)
                bestScore = score
            }
        }
        return best
    }
}
