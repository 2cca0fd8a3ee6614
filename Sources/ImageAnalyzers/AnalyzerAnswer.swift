import ContentAnalysis

/// What an analyzer said about one image: tags with their categories and confidences, and optionally a rating and a
/// description.
public struct AnalyzerAnswer: Codable, Equatable, Sendable {
    /// Most confident first.
    public var tags: [AnalysisTag]
    /// `general`, `sensitive`, `questionable`, `explicit`, or another word the analyzer uses.
    public var rating: String?
    public var ratingConfidence: Double?
    public var description: String?

    public init(tags: [AnalysisTag], rating: String? = nil, ratingConfidence: Double? = nil, description: String? = nil) {
        self.tags = tags
        self.rating = rating
        self.ratingConfidence = ratingConfidence
        self.description = description
    }
}
