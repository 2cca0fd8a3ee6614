import Configuration

extension LearningSettings {
    /// `learning.*` from the config.
    public init(_ section: SluiceConfig.LearningSection) {
        self.init(minConfidence: section.minConfidence, minExamples: section.minExamples)
    }
}
