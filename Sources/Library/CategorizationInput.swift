/// What categorization may look at for one image: its approved tags (with booru categories and rating), the file's
/// facts and where the tags came from.
public struct CategorizationInput: Sendable, Equatable {
    public var tags: [LibraryTag]
    public var facts: ImageFacts?
    /// `md5`, `saucenao`, `iqdb` or `none`.
    public var origin: String

    public init(tags: [LibraryTag], facts: ImageFacts?, origin: String) {
        self.tags = tags
        self.facts = facts
        self.origin = origin
    }

    /// The booru rating, `unknown` when there is none.
    public var rating: String { tags.first { $0.category == "rating" }?.name ?? "unknown" }

    /// The first (most confident) tag of a category.
    public func first(_ category: String) -> String? { tags.first { $0.category == category }?.name }
}

/// A learned placement offered in front of the rules (the learning branch provides them).
public struct CategorySuggestion: Sendable, Equatable {
    /// Relative to final/, `/`-separated.
    public var folder: String
    /// Why, in a sentence for the manifest.
    public var explanation: String
    /// Whether it is trusted enough to decide; a proposal that is not is only noted beside the rules' decision.
    public var isUsed: Bool

    public init(folder: String, explanation: String, isUsed: Bool = true) {
        self.folder = folder
        self.explanation = explanation
        self.isUsed = isUsed
    }
}

/// Proposes a category before the rules are consulted; nil leaves the decision to the rules.
public protocol CategorySuggester: Sendable {
    func suggest(for input: CategorizationInput) -> CategorySuggestion?
}
