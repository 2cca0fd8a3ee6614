/// What the learner proposes for one image, how sure it is, what supports it, and why in words.
public struct CategorySuggestion: Codable, Equatable, Sendable {
    public var category: String
    public var confidence: Double
    /// How many of the user's corrections moved an image with the explaining tag into `category`.
    public var support: Int
    /// Whether it clears `learning.min_confidence` and `learning.min_examples`, so it goes in front of the rules.
    public var isUsed: Bool
    /// `learned: 14 of 15 images tagged `character:hatsune miku` were moved to Vocaloid/ (confidence 0.93)`.
    public var explanation: String

    public init(category: String, confidence: Double, support: Int, isUsed: Bool, explanation: String) {
        self.category = category
        self.confidence = confidence
        self.support = support
        self.isUsed = isUsed
        self.explanation = explanation
    }
}
