/// Sluice's record in its own XMP namespace that it processed an image: which version, and when (ISO 8601, UTC).
public struct ProcessedMarker: Equatable, Hashable, Sendable, Codable {
    public var version: String
    public var date: String

    public init(version: String, date: String) {
        self.version = version
        self.date = date
    }
}
