/// `learning.*`: categories learned from the user's moves inside `final/`.
extension SluiceConfig {
    public struct LearningSection: Codable, Equatable, Sendable {
        /// Learn from moves and suggest categories in front of the rules.
        public var enabled = true
        /// A suggestion is used only at or above this confidence (0–1).
        public var minConfidence = 0.7
        /// …and only when at least this many of the user's corrections support it.
        public var minExamples = 3

        public init() {}
    }

    static func parseLearning(_ reader: inout ConfigReader) throws(ConfigError) -> LearningSection {
        var section = LearningSection()
        var learning = try reader.section("learning")
        section.enabled = try learning.bool("enabled", default: section.enabled)
        section.minConfidence = try learning.double("min_confidence", default: section.minConfidence, range: 0...1)
        section.minExamples = try learning.int("min_examples", default: section.minExamples, range: 1...100_000)
        try learning.rejectUnknownKeys()
        return section
    }
}
