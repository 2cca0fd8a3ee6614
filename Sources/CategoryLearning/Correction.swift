import Foundation

/// The user moved an image from the category Sluice chose to another one: what the learner learns from.
public struct Correction: Codable, Equatable, Sendable {
    public var sha256: String
    /// Booru and analyzer tags with their categories.
    public var tags: [LearningTag]
    /// Sluice's own analysis facts (`sluice/monochrome`, …).
    public var analysisTags: [LearningTag]
    public var suggestedCategory: String?
    public var fromCategory: String
    public var chosenCategory: String
    public var time: Date

    public init(
        sha256: String, tags: [LearningTag], analysisTags: [LearningTag], suggestedCategory: String?,
        fromCategory: String, chosenCategory: String, time: Date
    ) {
        self.sha256 = sha256
        self.tags = tags
        self.analysisTags = analysisTags
        self.suggestedCategory = suggestedCategory
        self.fromCategory = fromCategory
        self.chosenCategory = chosenCategory
        self.time = time
    }

    /// Every feature of the image, booru tags and analysis facts together.
    public var allTags: Set<LearningTag> { Set(tags).union(analysisTags) }
}
