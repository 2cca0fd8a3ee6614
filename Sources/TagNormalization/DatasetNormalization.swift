/// The result of normalizing a dataset: every caption's new text, what changed, and the report.
public struct DatasetNormalization: Sendable {
    /// Relative caption path → normalized text (every caption, changed or not).
    public var texts: [String: String]
    /// The captions whose text changed, sorted by path.
    public var changes: [CaptionChange]
    public var report: NormalizationReport

    public init(texts: [String: String], changes: [CaptionChange], report: NormalizationReport) {
        self.texts = texts
        self.changes = changes
        self.report = report
    }
}
