/// One image the learner knows the category of: its tags and the folder it is in now (as placed, or as corrected).
public struct TrainingExample: Equatable, Sendable {
    public var tags: Set<LearningTag>
    public var category: String

    public init(tags: Set<LearningTag>, category: String) {
        self.tags = tags
        self.category = category
    }
}

/// A classifier over tag sets: the most likely category for some tags, and how sure it is (0–1).
public protocol CategoryModel: Sendable {
    init(examples: [TrainingExample])
    func predict(_ tags: Set<LearningTag>) -> (category: String, confidence: Double)?
}

/// The models the learner can use; measured against each other on a generated stream (see the tests).
public enum CategoryModelKind: String, CaseIterable, Sendable {
    case naiveBayes = "naive-bayes"
    case nearestNeighbours = "knn"

    func make(_ examples: [TrainingExample]) -> any CategoryModel {
        switch self {
        case .naiveBayes: return NaiveBayesModel(examples: examples)
        case .nearestNeighbours: return NearestNeighbourModel(examples: examples)
        }
    }
}
