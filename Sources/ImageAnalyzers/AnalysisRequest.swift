/// What Sluice asks an analyzer about one image (one JSON line on its stdin).
public struct AnalysisRequest: Codable, Equatable, Sendable {
    /// Absolute path of the image; the analyzer reads it, Sluice never sends pixels.
    public var path: String
    /// SHA-256 of the file, lowercase hex (analyzers may cache by it).
    public var sha256: String
    /// Width and height as displayed (EXIF orientation applied).
    public var width: Int
    public var height: Int

    public init(path: String, sha256: String, width: Int, height: Int) {
        self.path = path
        self.sha256 = sha256
        self.width = width
        self.height = height
    }
}
