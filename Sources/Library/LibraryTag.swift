import TagNormalization

/// One tag of a library image: its booru category, its display name, how sure the source was, and the source.
public struct LibraryTag: Codable, Equatable, Hashable, Sendable {
    /// `general`, `character`, `copyright`, `artist`, `meta`, `rating` or `sluice`.
    public var category: String
    /// Spaces for underscores (kaomoji kept), as users and sidecar readers expect.
    public var name: String
    /// Percent; the match's similarity for booru tags, nil for tags a person typed.
    public var confidence: Double?
    /// `danbooru`, `gelbooru`, `user`, …
    public var source: String?

    public static let categories = ["general", "character", "copyright", "artist", "meta", "rating", "sluice"]

    public init(category: String, name: String, confidence: Double? = nil, source: String? = nil) {
        self.category = category
        self.name = name
        self.confidence = confidence
        self.source = source
    }

    /// A booru tag as the booru writes it (`hu_tao_(genshin_impact)`), in display form.
    public init(booru raw: String, category: String, confidence: Double?, source: String?) {
        self.init(category: category, name: TagKey.of(raw), confidence: confidence, source: source)
    }

    /// The `category:tag` line of a `.tags.txt` file.
    public var line: String { "\(category):\(name)" }

    /// Reads a `category:tag` line; a line without a known category is a `general` tag; blank lines are nil.
    public static func parse(line: String) -> LibraryTag? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { return nil }
        if let colon = trimmed.firstIndex(of: ":") {
            let category = trimmed[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let name = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if categories.contains(category), !name.isEmpty {
                return LibraryTag(category: category, name: TagKey.of(name), source: "user")
            }
        }
        return LibraryTag(category: "general", name: TagKey.of(trimmed), source: "user")
    }

    /// The comparison key used by category rules: `category:name`, lowercased, underscores as spaces.
    var key: String { "\(category):\(name.lowercased())" }
}
