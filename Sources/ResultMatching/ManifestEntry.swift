/// One uploaded image as the upload manifest records it.
///
/// Width, height and the perceptual hash describe the image upright (EXIF orientation applied), because an
/// auto-tagger that re-encodes an image returns it upright.
public struct ManifestEntry: Sendable, Codable, Equatable {
    /// The image's path relative to the dataset folder.
    public var originalPath: String
    /// Lowercase hex SHA-256 of the bytes that were uploaded.
    public var sha256: String
    public var size: Int
    public var width: Int
    public var height: Int
    /// The 64-bit DCT perceptual hash (`Imaging.PerceptualHash.value`).
    public var perceptualHash: UInt64

    public init(originalPath: String, sha256: String, size: Int, width: Int, height: Int, perceptualHash: UInt64) {
        self.originalPath = originalPath
        self.sha256 = sha256
        self.size = size
        self.width = width
        self.height = height
        self.perceptualHash = perceptualHash
    }
}

/// One image found in a result archive.
public struct ResultImage: Sendable, Codable, Equatable {
    /// The entry's name in the result archive, such as `007.png`.
    public var name: String
    public var sha256: String
    public var width: Int
    public var height: Int
    public var perceptualHash: UInt64

    public init(name: String, sha256: String, width: Int, height: Int, perceptualHash: UInt64) {
        self.name = name
        self.sha256 = sha256
        self.width = width
        self.height = height
        self.perceptualHash = perceptualHash
    }
}
