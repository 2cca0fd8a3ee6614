/// A caption read into tags: the main tags, the tags after the `#optional` marker, and what was repaired.
public struct ParsedCaption: Sendable, Equatable {
    /// The literal token that starts the optional section.
    public static let optionalMarker = "#optional"

    public var main: [CaptionTag]
    public var optional: [CaptionTag]
    /// Repairs worth telling the user about (several lines joined, a second marker dropped).
    public var warnings: [String]

    public init(main: [CaptionTag] = [], optional: [CaptionTag] = [], warnings: [String] = []) {
        self.main = main
        self.optional = optional
        self.warnings = warnings
    }

    /// Every tag, main first.
    public var allTags: [CaptionTag] { main + optional }
}
