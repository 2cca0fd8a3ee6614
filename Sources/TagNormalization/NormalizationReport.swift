/// Counts and examples from one normalization run, for the command's summary and the REVIEW file.
public struct NormalizationReport: Sendable, Equatable {
    /// A tag and the number of captions holding it.
    public struct TagCount: Sendable, Equatable {
        public var tag: String
        public var captions: Int

        public init(tag: String, captions: Int) {
            self.tag = tag
            self.captions = captions
        }
    }

    public var presetName: String
    public var captionCount: Int = 0
    public var filesChanged: Int = 0
    /// Tags deleted by the remove rules.
    public var tagsRemoved: Int = 0
    /// Tags dropped as implied by a more specific tag.
    public var tagsRedundant: Int = 0
    public var duplicatesRemoved: Int = 0
    public var tagsReplaced: Int = 0
    public var tagsMovedToOptional: Int = 0
    /// Captions whose tags changed order.
    public var captionsReordered: Int = 0
    /// The most frequent tags before and after, most frequent first (ties by name).
    public var topTagsBefore: [TagCount] = []
    public var topTagsAfter: [TagCount] = []
    /// "path: message" lines about repaired captions.
    public var warnings: [String] = []
    /// The first changed captions (by path), for a before/after preview.
    public var preview: [CaptionChange] = []
    /// `.txt` files left alone because no image sits beside them.
    public var skippedFiles: [String] = []
    /// Where the originals were backed up (nil on a dry run or when nothing changed).
    public var backupDirectory: String?
    public var isDryRun: Bool = false

    public init(presetName: String) {
        self.presetName = presetName
    }

    /// Every tag that left a caption's main and optional sections, whatever the reason.
    public var totalTagsDropped: Int { tagsRemoved + tagsRedundant + duplicatesRemoved }
}
