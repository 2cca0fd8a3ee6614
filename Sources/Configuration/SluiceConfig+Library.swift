/// The root's profile and the `library.*` section: how the library profile tags, reviews and sorts images.
extension SluiceConfig {
    /// What a root does with a drop: a LoRA dataset job, or an image library batch.
    public enum Profile: String, Codable, CaseIterable, Sendable { case dataset, library }

    /// When tagged images wait for the user before their tags are written.
    public enum LibraryReview: String, Codable, CaseIterable, Sendable {
        /// Approve images whose best match is at least `auto_approve_similarity`; the rest wait.
        case auto
        case always
        case never
    }

    /// Whether organizing copies the originals (kept where they were) or moves them.
    public enum LibraryOutput: String, Codable, CaseIterable, Sendable { case copy, move }

    /// Each library stage on or off.
    public struct LibraryStages: Codable, Equatable, Sendable {
        public var scan = true
        /// Content analysis: the built-in facts (`analyze.builtin`) and the external analyzers (`analyze.analyzers`).
        public var analyze = true
        public var lookup = true
        public var review = true
        public var sidecar = true
        public var categorize = true
        public var organize = true
        /// rsync of final/ to `sync.destination`, when `sync.when` says (`batch` or `job`).
        public var sync = true
        public init() {}
    }

    /// One ordered category rule: every condition given must hold; `folder` is a template such as `Fanart/{copyright}`.
    public struct CategoryRuleConfig: Codable, Equatable, Sendable {
        public var name: String?
        public var folder: String
        /// At least one of these tags (`tag` or `category:tag`).
        public var tagsAny: [String] = []
        /// Every one of these tags.
        public var tagsAll: [String] = []
        /// None of these tags.
        public var tagsNone: [String] = []
        /// Booru categories that must hold at least one tag (`character`, `copyright`, …).
        public var has: [String] = []
        /// Ratings that match (`general`, `sensitive`, `questionable`, `explicit`, `unknown`).
        public var rating: [String] = []
        /// File formats that match (`jpeg`, `png`, `webp`, `gif`).
        public var format: [String] = []
        /// `portrait`, `landscape` or `square`.
        public var orientation: [String] = []
        /// Where the tags came from: `md5`, `saucenao`, `iqdb`, `none`.
        public var origin: [String] = []
        public var minWidth: Int?
        public var minHeight: Int?

        public init(name: String? = nil, folder: String) {
            self.name = name
            self.folder = folder
        }
    }

    public struct LibrarySection: Codable, Equatable, Sendable {
        public var review = LibraryReview.auto
        /// Percent; with `review: auto`, a best match at or above this is approved without waiting.
        public var autoApproveSimilarity = 90.0
        /// Images per batch: each batch is checkpointed and waits in its own review folder.
        public var batchSize = 100
        public var output = LibraryOutput.copy
        public var stages = LibraryStages()
        /// Ordered rules; the first that matches names the folder under final/.
        public var categories: [CategoryRuleConfig] = []
        /// The folder for images no rule places.
        public var defaultCategory = "Uncategorized"
        /// How many more times an image whose lookup met a service that was down is tried later in the run.
        public var lookupRetries = 2
        /// The wait before such a retry round (minutes), so a service that was down has time to come back.
        public var lookupRetryMinutes = 5.0
        /// Images with more pixels than this are refused (decompression bombs).
        public var maxPixels = 100_000_000
        public init() {}
    }

    static func parseLibrary(_ reader: inout ConfigReader) throws(ConfigError) -> LibrarySection {
        var section = LibrarySection()
        var library = try reader.section("library")
        section.review = try library.choice("review", default: section.review)
        section.autoApproveSimilarity = try library.double("auto_approve_similarity", default: section.autoApproveSimilarity, range: 0...100)
        section.batchSize = try library.int("batch_size", default: section.batchSize, range: 1...100_000)
        section.output = try library.choice("output", default: section.output)
        section.defaultCategory = try library.string("default_category", default: section.defaultCategory)
        section.lookupRetries = try library.int("lookup_retries", default: section.lookupRetries, range: 0...10)
        section.lookupRetryMinutes = try library.double("lookup_retry_minutes", default: section.lookupRetryMinutes, range: 0...1440)
        section.maxPixels = try library.int("max_pixels", default: section.maxPixels, range: 1...Int(Int32.max))

        var stages = try library.section("stages")
        section.stages.scan = try stages.bool("scan", default: true)
        section.stages.analyze = try stages.bool("analyze", default: true)
        section.stages.lookup = try stages.bool("lookup", default: true)
        section.stages.review = try stages.bool("review", default: true)
        section.stages.sidecar = try stages.bool("sidecar", default: true)
        section.stages.categorize = try stages.bool("categorize", default: true)
        section.stages.organize = try stages.bool("organize", default: true)
        section.stages.sync = try stages.bool("sync", default: true)
        try stages.rejectUnknownKeys()

        for var rule in try library.sectionList("categories") {
            var parsed = CategoryRuleConfig(name: try rule.optionalString("name"), folder: try rule.requiredString("folder"))
            parsed.tagsAny = try rule.strings("tags_any", default: [])
            parsed.tagsAll = try rule.strings("tags_all", default: [])
            parsed.tagsNone = try rule.strings("tags_none", default: [])
            parsed.has = try rule.strings("has", default: [])
            parsed.rating = try rule.strings("rating", default: [])
            parsed.format = try rule.strings("format", default: [])
            parsed.orientation = try rule.strings("orientation", default: [])
            parsed.origin = try rule.strings("origin", default: [])
            let minWidth = try rule.int("min_width", default: -1, range: -1...Int(Int32.max))
            parsed.minWidth = minWidth < 0 ? nil : minWidth
            let minHeight = try rule.int("min_height", default: -1, range: -1...Int(Int32.max))
            parsed.minHeight = minHeight < 0 ? nil : minHeight
            try rule.rejectUnknownKeys()
            section.categories.append(parsed)
        }
        try library.rejectUnknownKeys()
        return section
    }
}
