/// One image waiting for review and the tags or caption the screen shows for it.
public struct ReviewImage: Sendable, Equatable {
    /// The image's path relative to the review folder.
    public let file: String
    public let bytes: Int
    public var width: Int?
    public var height: Int?
    /// The matched post's URL (library batches).
    public let source: String?
    /// The match similarity in percent (library batches).
    public let similarity: Double?
    /// The tags as shown: the decision file's current content, with confidences from the batch manifest.
    public var tags: [ReviewTag]
    /// Dataset jobs: the caption's tags before normalization (from the job's backup); nil when unchanged.
    public var captionBeforeNormalization: [String]?

    public init(
        file: String, bytes: Int, width: Int? = nil, height: Int? = nil, source: String? = nil, similarity: Double? = nil,
        tags: [ReviewTag], captionBeforeNormalization: [String]? = nil
    ) {
        self.file = file
        self.bytes = bytes
        self.width = width
        self.height = height
        self.source = source
        self.similarity = similarity
        self.tags = tags
        self.captionBeforeNormalization = captionBeforeNormalization
    }

    /// The highest confidence among the tags, or the match similarity; nil when nothing is known.
    public var bestConfidence: Double? {
        (tags.compactMap(\.confidence) + [similarity].compactMap { $0 }).max()
    }

    /// Tags the normalization removed and added, compared by their trimmed lowercased text.
    public var normalizationDiff: (removed: [String], added: [String]) {
        guard let before = captionBeforeNormalization else { return ([], []) }
        let now = tags.map(\.name)
        let beforeKeys = Set(before.map(Self.key)), nowKeys = Set(now.map(Self.key))
        return (before.filter { !nowKeys.contains(Self.key($0)) }, now.filter { !beforeKeys.contains(Self.key($0)) })
    }

    private static func key(_ tag: String) -> String {
        tag.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: "_", with: " ")
    }
}
