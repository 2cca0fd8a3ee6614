/// `analyze.*`: the built-in content analysis and the external analyzers (library profile, and `pipeline.autotag:
/// local` for datasets).
extension SluiceConfig {
    public struct AnalyzeSection: Codable, Equatable, Sendable {
        /// The built-in analysis (no model): aspect, greyscale/monochrome, alpha, colourfulness, brightness, animated,
        /// photo or drawing.
        public var builtin = true
        /// External analyzers, asked in this order about every image.
        public var analyzers: [AnalyzerEntry] = []
        /// How long an analyzer may take to print its ready line (model loading).
        public var startupTimeoutSeconds = 120.0
        /// How long one image may take before the analyzer is restarted and the image recorded as not analyzed.
        public var timeoutSeconds = 30.0
        /// Restarts allowed per run; after that the analyzer is off for the rest of the run.
        public var maxRestarts = 3
        /// Analyzer tags under this confidence (0–1) are dropped.
        public var minConfidence = 0.0
        public var thresholds = Thresholds()

        public init() {}
    }

    /// One external analyzer: a name and the command that starts it.
    public struct AnalyzerEntry: Codable, Equatable, Sendable {
        public var name: String
        public var command: [String]

        public init(name: String, command: [String]) {
            self.name = name
            self.command = command
        }
    }

    /// Where the built-in content analysis turns measured facts into tags (`analyze.thresholds.*`).
    public struct Thresholds: Codable, Equatable, Sendable {
        /// |width/height − 1| at or under this is square.
        public var squareTolerance = 0.1
        /// A side this many times the other makes a wide image or a tall strip.
        public var stripRatio = 2.5
        /// A pixel whose channels differ by at most this much counts as grey (lossy codecs add a little colour noise).
        public var greyTolerance = 12
        /// The share of grey pixels at or over which an image is greyscale.
        public var greyscaleShare = 0.99
        /// Hue concentration (0–1) at or over which a coloured image is monochrome: one tint throughout (sepia).
        public var monochromeHueConcentration = 0.9
        /// Hasler–Süsstrunk colourfulness at or over which an image is tagged colorful ("quite colourful" starts at 59).
        public var colorfulAt = 59.0
        /// Mean brightness (0–1) under which an image is dark, and over which it is bright.
        public var darkBelow = 0.2
        public var brightAbove = 0.8
        /// Photo signal (0–1) at or over which an image is tagged a photo, and at or under which a drawing.
        public var photoAt = 0.7
        public var drawingAt = 0.3

        public init() {}
    }

    /// `pipeline.autotag: local` captions with the analyzers, so it needs one.
    static func checkLocalAutotag(_ config: SluiceConfig, file: String) throws(ConfigError) {
        guard config.pipeline.autotagMode == .local, config.analyze.analyzers.isEmpty else { return }
        throw ConfigError(
            file: file,
            kind: .invalidValue(key: "pipeline.autotag", message: "is local, but analyze.analyzers names no analyzer to caption with"))
    }

    static func parseAnalyze(_ reader: inout ConfigReader) throws(ConfigError) -> AnalyzeSection {
        var section = AnalyzeSection()
        var analyze = try reader.section("analyze")
        section.builtin = try analyze.bool("builtin", default: section.builtin)
        var names: Set<String> = []
        for var item in try analyze.sectionList("analyzers") {
            let name = try item.string("name", default: "")
            let command = try item.strings("command", default: [])
            guard !name.isEmpty, !command.isEmpty, names.insert(name).inserted else {
                throw ConfigError(
                    file: item.file, line: item.mark?.line, column: item.mark?.column,
                    kind: .invalidValue(key: item.path, message: "needs a unique name and a non-empty command list"))
            }
            try item.rejectUnknownKeys()
            section.analyzers.append(AnalyzerEntry(name: name, command: command))
        }
        section.startupTimeoutSeconds = try analyze.double(
            "startup_timeout_seconds", default: section.startupTimeoutSeconds, range: 0.1...3600)
        section.timeoutSeconds = try analyze.double("timeout_seconds", default: section.timeoutSeconds, range: 0.1...3600)
        section.maxRestarts = try analyze.int("max_restarts", default: section.maxRestarts, range: 0...1000)
        section.minConfidence = try analyze.double("min_confidence", default: section.minConfidence, range: 0...1)

        var thresholds = try analyze.section("thresholds")
        var values = Thresholds()
        values.squareTolerance = try thresholds.double("square_tolerance", default: values.squareTolerance, range: 0...1)
        values.stripRatio = try thresholds.double("strip_ratio", default: values.stripRatio, range: 1.01...100)
        values.greyTolerance = try thresholds.int("grey_tolerance", default: values.greyTolerance, range: 0...255)
        values.greyscaleShare = try thresholds.double("greyscale_share", default: values.greyscaleShare, range: 0...1)
        values.monochromeHueConcentration = try thresholds.double(
            "monochrome_hue_concentration", default: values.monochromeHueConcentration, range: 0...1)
        values.colorfulAt = try thresholds.double("colorful_at", default: values.colorfulAt, range: 0...500)
        values.darkBelow = try thresholds.double("dark_below", default: values.darkBelow, range: 0...1)
        values.brightAbove = try thresholds.double("bright_above", default: values.brightAbove, range: 0...1)
        values.photoAt = try thresholds.double("photo_at", default: values.photoAt, range: 0...1)
        values.drawingAt = try thresholds.double("drawing_at", default: values.drawingAt, range: 0...1)
        try thresholds.rejectUnknownKeys()
        section.thresholds = values

        try analyze.rejectUnknownKeys()
        return section
    }
}
