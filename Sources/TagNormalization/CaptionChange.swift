/// What normalization did to one caption.
public struct CaptionChange: Sendable, Equatable {
    /// One alias replaced by its canonical form.
    public struct Replacement: Sendable, Equatable, Hashable {
        public var from: String
        public var to: String

        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    /// The caption's path relative to the dataset folder.
    public var path: String
    public var before: String
    public var after: String
    /// Tags deleted by the remove rules.
    public var removed: [String]
    /// Tags dropped because a more specific tag implies them.
    public var redundant: [String]
    /// Repeated tags dropped.
    public var duplicates: [String]
    public var replaced: [Replacement]
    public var movedToOptional: [String]
    public var isReordered: Bool
    public var warnings: [String]

    public init(
        path: String, before: String, after: String, removed: [String] = [], redundant: [String] = [],
        duplicates: [String] = [], replaced: [Replacement] = [], movedToOptional: [String] = [],
        isReordered: Bool = false, warnings: [String] = []
    ) {
        self.path = path
        self.before = before
        self.after = after
        self.removed = removed
        self.redundant = redundant
        self.duplicates = duplicates
        self.replaced = replaced
        self.movedToOptional = movedToOptional
        self.isReordered = isReordered
        self.warnings = warnings
    }
}
