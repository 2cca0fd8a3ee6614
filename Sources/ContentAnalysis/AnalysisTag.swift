/// One tag from content analysis: built-in tags use category `sluice` and names such as `sluice/monochrome`;
/// an external analyzer's tags keep their own categories (general, character, …).
public struct AnalysisTag: Codable, Equatable, Hashable, Sendable {
    public var category: String
    public var name: String
    /// 0–1: how sure the analysis is (built-in facts are measured, so 1 unless they are a judgement).
    public var confidence: Double

    public init(category: String, name: String, confidence: Double) {
        self.category = category
        self.name = name
        self.confidence = confidence
    }

    /// A built-in tag: category `sluice`, name `sluice/<fact>`.
    public static func builtIn(_ fact: String, confidence: Double = 1) -> AnalysisTag {
        AnalysisTag(category: builtInCategory, name: "sluice/" + fact, confidence: confidence)
    }

    /// The category of every tag the built-in analysis writes.
    public static let builtInCategory = "sluice"
}
