import Hashing

/// What the index step needs from one image file, from a single read of it: SHA-256 (and MD5 when asked), the
/// header, the EXIF orientation and the perceptual hash (decoded at reduced size from the same bytes).
public struct ImageFileFacts: Sendable, Equatable {
    public let byteCount: Int
    public let sha256: String
    /// The MD5 Danbooru looks posts up by; nil unless asked for.
    public let md5: String?
    public let header: ImageHeader
    /// The EXIF orientation (1–8) the pixels were turned upright by; 1 when there is none or it is broken.
    public let orientation: Int
    public let perceptualHash: PerceptualHash

    /// Dimensions as displayed (orientation applied), the frame the perceptual hash saw.
    public var uprightSize: (width: Int, height: Int) { header.uprightSize(orientation: orientation) }

    /// Reads the file once and derives every fact from those bytes.
    /// - Parameters:
    ///   - includeMD5: also compute MD5 (the library profile's Danbooru lookup).
    ///   - orientation: reads the EXIF orientation from the file's bytes (ExifMetadata's parser, passed in so
    ///     Imaging does not depend on libexif); nil or a value outside 1–8 counts as upright.
    /// - Throws: `ImagingError` naming the file when it cannot be read, its header is broken or it does not decode.
    public static func read(
        path: String, includeMD5: Bool = false, orientation readOrientation: ([UInt8]) -> Int? = { _ in nil }
    ) throws(ImagingError) -> ImageFileFacts {
        let bytes = try Codecs.readFile(path)
        let header = try ImageHeader.parse(bytes, source: path)
        let (sha256, md5) = bytes.withUnsafeBytes { buffer in
            let sha = StreamingDigest(.sha256)
            sha.update(buffer)
            let md5 = includeMD5 ? StreamingDigest(.md5) : nil
            md5?.update(buffer)
            return (sha.finishHex(), md5?.finishHex())
        }
        let found = readOrientation(bytes) ?? 1
        let orientation = (1...8).contains(found) ? found : 1
        let luma = try ImageDecoder.decode(
            bytes, source: path, layout: .gray, orientation: orientation, minimumSide: PerceptualHash.decodeSide)
        return ImageFileFacts(
            byteCount: bytes.count, sha256: sha256, md5: md5, header: header, orientation: orientation,
            perceptualHash: PerceptualHash.compute(luma))
    }

    public static func == (lhs: ImageFileFacts, rhs: ImageFileFacts) -> Bool {
        lhs.byteCount == rhs.byteCount && lhs.sha256 == rhs.sha256 && lhs.md5 == rhs.md5 && lhs.header == rhs.header
            && lhs.orientation == rhs.orientation && lhs.perceptualHash == rhs.perceptualHash
    }
}
