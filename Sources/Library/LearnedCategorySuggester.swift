import CategoryLearning

/// The learner over the user's moves in final/ as a suggester in front of the category rules.
public struct LearnedCategorySuggester: CategorySuggester {
    public let learner: CategoryLearner

    public init(learner: CategoryLearner) {
        self.learner = learner
    }

    public func suggest(for input: CategorizationInput) -> CategorySuggestion? {
        let tags = input.tags.map { LearningTag(category: $0.category, tag: $0.name) }
        guard let suggestion = learner.suggest(tags) else { return nil }
        let prefix = "learned: "
        let explanation = suggestion.explanation.hasPrefix(prefix) ? String(suggestion.explanation.dropFirst(prefix.count)) : suggestion.explanation
        return CategorySuggestion(folder: suggestion.category, explanation: explanation, isUsed: suggestion.isUsed)
    }
}
