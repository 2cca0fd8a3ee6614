import ContentAnalysis
import TagNormalization

/// What the analyze stage learned about one image: the built-in facts, and every tag as a library tag (confidence
/// in percent, source `sluice` or the analyzer's name), with the analyzers that could not answer and why.
public struct AnalysisRecord: Codable, Equatable, Sendable {
    /// The built-in analysis' typed facts (from the scan's decode), nil when it did not run.
    public var content: ContentFacts?
    /// Built-in tags first, then each analyzer's in configured order.
    public var tags: [LibraryTag]
    /// Analyzer name → why it gave no answer for this image (`not analyzed: <reason>`).
    public var notAnalyzed: [String: String]
    /// Analyzer name → its one-sentence description of the image, when it gave one.
    public var descriptions: [String: String]

    public init(content: ContentFacts? = nil, tags: [LibraryTag] = [], notAnalyzed: [String: String] = [:], descriptions: [String: String] = [:]) {
        self.content = content
        self.tags = tags
        self.notAnalyzed = notAnalyzed
        self.descriptions = descriptions
    }

    /// The manifest's one-line summary of the stage for this image.
    public var summary: String {
        var parts = ["\(tags.count) tag(s)"]
        parts += notAnalyzed.keys.sorted().map { "\($0): not analyzed: \(notAnalyzed[$0] ?? "")" }
        return parts.joined(separator: "; ")
    }
}

extension LibraryTag {
    /// An analysis tag as a library tag: its 0–1 confidence in percent; a category the library does not know
    /// becomes `general`; analyzer names in display form (built-in `sluice/…` names are kept as they are).
    public init(analysis tag: AnalysisTag, source: String) {
        let category = tag.category.lowercased()
        let known = LibraryTag.categories.contains(category) ? category : "general"
        let name = known == AnalysisTag.builtInCategory ? tag.name : TagKey.of(tag.name)
        self.init(category: known, name: name, confidence: (tag.confidence * 1000).rounded() / 10, source: source)
    }
}
