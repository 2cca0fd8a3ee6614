/// When a learned suggestion is trusted over the rules (`learning.*` in the config).
public struct LearningSettings: Equatable, Sendable {
    public var minConfidence: Double
    public var minExamples: Int

    public init(minConfidence: Double = 0.7, minExamples: Int = 3) {
        self.minConfidence = minConfidence
        self.minExamples = minExamples
    }
}
