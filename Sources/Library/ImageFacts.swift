/// What the scan learned about one image's file.
public struct ImageFacts: Codable, Equatable, Sendable {
    public var sha256: String
    public var md5: String
    public var bytes: Int64
    /// As displayed (EXIF orientation applied).
    public var width: Int
    public var height: Int
    /// `jpeg`, `png`, `webp` or `gif`.
    public var format: String
    /// 64-bit DCT hash as hex; nil for formats Sluice cannot decode (GIF).
    public var perceptualHash: String?

    public init(sha256: String, md5: String, bytes: Int64, width: Int, height: Int, format: String, perceptualHash: String?) {
        self.sha256 = sha256
        self.md5 = md5
        self.bytes = bytes
        self.width = width
        self.height = height
        self.format = format
        self.perceptualHash = perceptualHash
    }

    /// `portrait`, `landscape` or `square`.
    public var orientation: String {
        width == height ? "square" : width > height ? "landscape" : "portrait"
    }
}
