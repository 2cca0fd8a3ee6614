/// A tag as the learner sees it: its booru category (general, character, copyright, artist, meta, rating) or
/// `sluice` for built-in analysis facts (`sluice/monochrome`), and its name.
public struct LearningTag: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    public var category: String
    public var tag: String

    public init(category: String, tag: String) {
        self.category = category
        self.tag = tag
    }

    /// Parses `category:tag` (the `.tags.txt` form); a name without a known category prefix is a general tag.
    public init(parsing text: String) {
        let known: Set<String> = ["general", "character", "copyright", "artist", "meta", "rating", "sluice"]
        if let colon = text.firstIndex(of: ":"), known.contains(String(text[..<colon])) {
            self.init(category: String(text[..<colon]), tag: String(text[text.index(after: colon)...]))
        } else {
            self.init(category: "general", tag: text)
        }
    }

    /// Whether this is one of Sluice's own analysis facts rather than a booru or analyzer tag.
    public var isAnalysis: Bool { category == "sluice" }

    /// `character:hatsune miku`, or `sluice/monochrome` for analysis facts (their names already say where they come from).
    public var description: String { isAnalysis ? tag : "\(category):\(tag)" }

    public static func < (left: LearningTag, right: LearningTag) -> Bool {
        (left.category, left.tag) < (right.category, right.tag)
    }
}
