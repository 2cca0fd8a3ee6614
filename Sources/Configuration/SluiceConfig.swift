import Foundation
import Yams

/// Everything `sluice.yaml` can say, each key with its default; unknown keys are errors.
public struct SluiceConfig: Codable, Equatable, Sendable {
    public var pipeline = PipelineSection()
    public var normalize = NormalizeSection()
    public var watch = WatchSection()
    public var index = IndexSection()
    public var autotag = AutotagSection()
    public var downloads = DownloadsSection()
    public var final = FinalSection()
    public var notify = NotifySection()
    public var lookup = LookupSection()
    public var analyze = AnalyzeSection()
    public var learning = LearningSection()
    public var sync = SyncSection()
    public var profile = Profile.dataset
    public var library = LibrarySection()

    public init() {}

    public struct PipelineSection: Codable, Equatable, Sendable {
        /// Where captions come from: CivitAI's round trip (steps B–E), the local analyzer, or the drop itself.
        public var autotagMode = AutotagMode.civitai
        /// Steps B–E run: true only for `civitai` (the engine's step plan reads this until it reads `autotagMode`).
        public var autotag: Bool {
            get { autotagMode == .civitai }
            set { autotagMode = newValue ? .civitai : .off }
        }
        /// Skip the wait in review/ (for scripted runs and the shipped example).
        public var autoApproveReview = false

        // The JSON key stays "autotag", so snapshots written when it was a boolean still decode (AutotagMode reads both).
        enum CodingKeys: String, CodingKey {
            case autotagMode = "autotag"
            case autoApproveReview
        }
    }

    public struct NormalizeSection: Codable, Equatable, Sendable {
        /// A preset name from presets/ or a path to a preset JSON file.
        public var preset = "anime"
    }

    public struct WatchSection: Codable, Equatable, Sendable {
        public var settleMilliseconds = 2000
        public var forcePolling = false
        public var pollIntervalMilliseconds = 2000
    }

    public struct IndexSection: Codable, Equatable, Sendable {
        public var recursive = true
        public var nearDuplicateDistance = 6
        public var batchSize = 100
        /// Images declaring more pixels than this (width × height, read from the header) are refused undecoded.
        public var maxPixels = 100_000_000
    }

    public struct AutotagSection: Codable, Equatable, Sendable {
        public var stripMetadata = false
        public var uploadURL = "https://civitai.com/models/train"
    }

    public struct DownloadsSection: Codable, Equatable, Sendable {
        public var pattern = "*.zip"
        public var extraDirectories: [String] = []
        public var timeoutMinutes = 1440.0
    }

    public enum FinalLayout: String, Codable, CaseIterable, Sendable { case flat, kohya }
    public enum OptionalTagsPolicy: String, Codable, CaseIterable, Sendable { case keep, drop }
    public enum MissingCaptionPolicy: String, Codable, CaseIterable, Sendable { case empty, fail }
    public enum EmptyCaptionPolicy: String, Codable, CaseIterable, Sendable { case allow, fail }

    public struct FinalSection: Codable, Equatable, Sendable {
        public var layout = FinalLayout.flat
        public var repeats = 10
        public var optionalTags = OptionalTagsPolicy.keep
        public var missingCaption = MissingCaptionPolicy.empty
        public var emptyCaption = EmptyCaptionPolicy.allow
        public var enforceGroupOrder = false
    }

    public struct NotifySection: Codable, Equatable, Sendable {
        /// Best-effort desktop notifications (notify-send) when a job waits for the user.
        public var desktop = false
    }

    /// Reverse image search and booru services; secrets may also come from SLUICE_* environment variables.
    public struct LookupSection: Codable, Equatable, Sendable {
        public var minSimilarity = 80.0
        public var cacheTTLHours = 48.0
        public var noMatchTTLHours = 6.0
        public var contact = ""
        public var saucenaoEndpoint = "https://saucenao.com"
        public var saucenaoAPIKey: String?
        public var saucenaoDBMask: Int?
        public var saucenaoResultCount = 8
        public var danbooruEndpoint = "https://danbooru.donmai.us"
        public var danbooruLogin: String?
        public var danbooruAPIKey: String?
        public var iqdbEndpoint = "https://iqdb.org"
        public var gelbooruEndpoint = "https://gelbooru.com"
        public var gelbooruAPIKey: String?
        public var gelbooruUserID: String?

        public var holdsSecrets: Bool {
            [saucenaoAPIKey, danbooruAPIKey, gelbooruAPIKey].contains { $0 != nil }
        }
    }

    /// The config with API keys removed, as stored in job files and manifests.
    public var withoutSecrets: SluiceConfig {
        var copy = self
        copy.lookup.saucenaoAPIKey = nil
        copy.lookup.danbooruAPIKey = nil
        copy.lookup.gelbooruAPIKey = nil
        copy.lookup.danbooruLogin = nil
        copy.lookup.gelbooruUserID = nil
        return copy
    }
}

extension SluiceConfig {
    /// Reads and validates a config file; a file holding API keys must not be readable by group or others.
    public static func load(from url: URL) throws(ConfigError) -> SluiceConfig {
        let text: String
        do {
            let data = try Data(contentsOf: url)
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw ConfigError(file: url.path, kind: .unreadable("not UTF-8 text"))
            }
            text = decoded
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: url.path, kind: .unreadable(error.localizedDescription))
        }
        let config = try parse(text, file: url.path)
        if config.lookup.holdsSecrets, let mode = permissionsReadableByOthers(url.path) {
            throw ConfigError(file: url.path, kind: .secretsReadableByOthers(mode: mode))
        }
        return config
    }

    /// Parses config text; `file` only names the source in errors.
    public static func parse(_ text: String, file: String) throws(ConfigError) -> SluiceConfig {
        try ConfigNesting.check(text, file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ConfigError.fromYams(error, file: file)
        } catch {
            throw ConfigError(file: file, kind: .syntax("\(error)"))
        }
        var reader = try ConfigReader(file: file, path: "", node: root)
        var config = SluiceConfig()

        var pipeline = try reader.section("pipeline")
        config.pipeline.autotagMode = try pipeline.choice("autotag", default: config.pipeline.autotagMode)
        config.pipeline.autoApproveReview = try pipeline.bool("auto_approve_review", default: config.pipeline.autoApproveReview)
        try pipeline.rejectUnknownKeys()

        var normalize = try reader.section("normalize")
        config.normalize.preset = try normalize.string("preset", default: config.normalize.preset)
        try normalize.rejectUnknownKeys()

        var watch = try reader.section("watch")
        config.watch.settleMilliseconds = try watch.int("settle_ms", default: config.watch.settleMilliseconds, range: 0...600_000)
        config.watch.forcePolling = try watch.bool("force_polling", default: config.watch.forcePolling)
        config.watch.pollIntervalMilliseconds = try watch.int("poll_interval_ms", default: config.watch.pollIntervalMilliseconds, range: 100...3_600_000)
        try watch.rejectUnknownKeys()

        var index = try reader.section("index")
        config.index.recursive = try index.bool("recursive", default: config.index.recursive)
        config.index.nearDuplicateDistance = try index.int("near_duplicate_distance", default: config.index.nearDuplicateDistance, range: 0...64)
        config.index.batchSize = try index.int("batch_size", default: config.index.batchSize, range: 1...100_000)
        config.index.maxPixels = try index.int("max_pixels", default: config.index.maxPixels, range: 1...10_000_000_000)
        try index.rejectUnknownKeys()

        var autotag = try reader.section("autotag")
        config.autotag.stripMetadata = try autotag.bool("strip_metadata", default: config.autotag.stripMetadata)
        config.autotag.uploadURL = try autotag.string("upload_url", default: config.autotag.uploadURL)
        try autotag.rejectUnknownKeys()

        var downloads = try reader.section("downloads")
        config.downloads.pattern = try downloads.string("pattern", default: config.downloads.pattern)
        config.downloads.extraDirectories = try downloads.strings("extra_dirs", default: config.downloads.extraDirectories)
        config.downloads.timeoutMinutes = try downloads.double("timeout_minutes", default: config.downloads.timeoutMinutes, range: 0.01...525_600)
        try downloads.rejectUnknownKeys()

        var final = try reader.section("final")
        config.final.layout = try final.choice("layout", default: config.final.layout)
        config.final.repeats = try final.int("repeats", default: config.final.repeats, range: 1...10_000)
        config.final.optionalTags = try final.choice("optional_tags", default: config.final.optionalTags)
        config.final.missingCaption = try final.choice("missing_caption", default: config.final.missingCaption)
        config.final.emptyCaption = try final.choice("empty_caption", default: config.final.emptyCaption)
        config.final.enforceGroupOrder = try final.bool("enforce_group_order", default: config.final.enforceGroupOrder)
        try final.rejectUnknownKeys()

        var notify = try reader.section("notify")
        config.notify.desktop = try notify.bool("desktop", default: config.notify.desktop)
        try notify.rejectUnknownKeys()

        config.lookup = try parseLookup(&reader)
        config.analyze = try parseAnalyze(&reader)
        try checkLocalAutotag(config, file: file)
        config.learning = try parseLearning(&reader)
        config.sync = try parseSync(&reader)
        config.profile = try reader.choice("profile", default: config.profile)
        config.library = try parseLibrary(&reader)
        try reader.rejectUnknownKeys()
        return config
    }

    private static func parseLookup(_ reader: inout ConfigReader) throws(ConfigError) -> LookupSection {
        var section = LookupSection()
        var lookup = try reader.section("lookup")
        section.minSimilarity = try lookup.double("min_similarity", default: section.minSimilarity, range: 0...100)
        section.cacheTTLHours = try lookup.double("cache_ttl_hours", default: section.cacheTTLHours, range: 0...87_600)
        section.noMatchTTLHours = try lookup.double("no_match_ttl_hours", default: section.noMatchTTLHours, range: 0...87_600)
        section.contact = try lookup.string("contact", default: section.contact)

        var saucenao = try lookup.section("saucenao")
        section.saucenaoEndpoint = try saucenao.string("endpoint", default: section.saucenaoEndpoint)
        section.saucenaoAPIKey = try saucenao.optionalString("api_key")
        let mask = try saucenao.int("dbmask", default: -1, range: -1...Int.max)
        section.saucenaoDBMask = mask < 0 ? nil : mask
        section.saucenaoResultCount = try saucenao.int("numres", default: section.saucenaoResultCount, range: 1...100)
        try saucenao.rejectUnknownKeys()

        var danbooru = try lookup.section("danbooru")
        section.danbooruEndpoint = try danbooru.string("endpoint", default: section.danbooruEndpoint)
        section.danbooruLogin = try danbooru.optionalString("login")
        section.danbooruAPIKey = try danbooru.optionalString("api_key")
        try danbooru.rejectUnknownKeys()

        var iqdb = try lookup.section("iqdb")
        section.iqdbEndpoint = try iqdb.string("endpoint", default: section.iqdbEndpoint)
        try iqdb.rejectUnknownKeys()

        var gelbooru = try lookup.section("gelbooru")
        section.gelbooruEndpoint = try gelbooru.string("endpoint", default: section.gelbooruEndpoint)
        section.gelbooruAPIKey = try gelbooru.optionalString("api_key")
        section.gelbooruUserID = try gelbooru.optionalString("user_id")
        try gelbooru.rejectUnknownKeys()

        try lookup.rejectUnknownKeys()
        return section
    }

    /// The octal mode when group or others may read the file, nil when only the owner can.
    ///
    /// stat(2), not lstat: a `sluice.yaml` that is a symlink is judged by the file it points to (a link's own
    /// mode is always 777 and means nothing).
    static func permissionsReadableByOthers(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let mode = Int(info.st_mode & 0o7777)
        return mode & 0o044 != 0 ? String(mode, radix: 8) : nil
    }
}

extension ConfigError {
    static func fromYams(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigError(file: file, line: mark.line, column: mark.column, kind: .syntax(detail))
        case .reader(let problem, _, _, _):
            return ConfigError(file: file, kind: .syntax(problem))
        default:
            return ConfigError(file: file, kind: .syntax("\(error)"))
        }
    }
}
