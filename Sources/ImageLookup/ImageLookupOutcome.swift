/// What happened to one image: its answer, if any service gave one, and every failure on the way.
public struct ImageLookupOutcome: Codable, Sendable, Equatable {
    public var path: String
    /// Empty when the file could not be read.
    public var sha256: String
    /// Nil only when no service could answer at all.
    public var result: LookupResult?
    public var failures: [LookupFailure]
    /// Remarks that are not failures ("SauceNAO skipped: no API key").
    public var notes: [String]

    public init(path: String, sha256: String, result: LookupResult?, failures: [LookupFailure], notes: [String] = []) {
        self.path = path
        self.sha256 = sha256
        self.result = result
        self.failures = failures
        self.notes = notes
    }

    /// A match, or a "no match" that every service agreed on.
    public var isConclusive: Bool { result?.isMatch == true || (result != nil && failures.isEmpty) }
}
