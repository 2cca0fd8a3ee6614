/// A booru post's human-made tags by category, its rating and where it came from.
public struct BooruPost: Codable, Sendable, Equatable {
    public var site: BooruSite
    public var id: Int
    /// The post's page, for people.
    public var url: String
    public var tags: BooruTags
    public var rating: Rating?
    /// The artwork's original source as the booru records it (often Pixiv or Twitter).
    public var source: String?
    public var md5: String?
    /// Missing for banned or restricted posts.
    public var fileURL: String?

    public init(
        site: BooruSite, id: Int, url: String, tags: BooruTags, rating: Rating?, source: String? = nil,
        md5: String? = nil, fileURL: String? = nil
    ) {
        self.site = site
        self.id = id
        self.url = url
        self.tags = tags
        self.rating = rating
        self.source = source
        self.md5 = md5
        self.fileURL = fileURL
    }
}

/// The boorus whose posts we read tags from.
public enum BooruSite: String, Codable, Sendable, CaseIterable {
    case danbooru, gelbooru
}

/// Tags split the way boorus categorize them; underscores inside tags are kept as the booru writes them.
public struct BooruTags: Codable, Sendable, Equatable {
    public var general: [String]
    public var character: [String]
    public var copyright: [String]
    public var artist: [String]
    public var meta: [String]

    public init(
        general: [String] = [], character: [String] = [], copyright: [String] = [], artist: [String] = [],
        meta: [String] = []
    ) {
        self.general = general
        self.character = character
        self.copyright = copyright
        self.artist = artist
        self.meta = meta
    }

    public var isEmpty: Bool { general.isEmpty && character.isEmpty && copyright.isEmpty && artist.isEmpty && meta.isEmpty }

    /// Every tag, artist and copyright first as captions usually order them.
    public var all: [String] { artist + copyright + character + general + meta }
}

/// The content rating on Danbooru's scale (g/s/q/e); Gelbooru's words and IQDB's labels map onto it.
public enum Rating: String, Codable, Sendable, CaseIterable {
    case general, sensitive, questionable, explicit

    /// Reads `g`/`s`/`q`/`e`, Gelbooru's words, and the older `safe`; nil for anything else (IQDB's "Unrated").
    public init?(booruValue: String) {
        switch booruValue.trimmingCharacters(in: .whitespaces).lowercased() {
        case "g", "general", "safe": self = .general
        case "s", "sensitive": self = .sensitive
        case "q", "questionable", "ero": self = .questionable
        case "e", "explicit": self = .explicit
        default: return nil
        }
    }
}
