/// The result for one image from one analyzer; a broken analyzer gives `notAnalyzed` with the reason, never an error.
public enum AnalyzerOutcome: Codable, Equatable, Sendable {
    case analyzed(AnalyzerAnswer)
    case notAnalyzed(reason: String)

    /// The answer, when there is one.
    public var answer: AnalyzerAnswer? {
        if case .analyzed(let answer) = self { return answer }
        return nil
    }
}
