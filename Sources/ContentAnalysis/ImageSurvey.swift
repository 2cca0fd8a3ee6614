import Configuration
import ExifMetadata
import Foundation
import Imaging

/// One read and one decode of an image file give its header, EXIF, perceptual hash and content facts together:
/// the analysis works on the very pixels the perceptual hash is computed from.
public struct ImageSurvey: Sendable {
    /// Format and stored size; nil for a GIF (which Imaging does not decode).
    public var header: ImageHeader?
    /// EXIF facts; `.none` when absent or unreadable (broken EXIF never makes an image unreadable).
    public var exif: ExifFacts
    /// The same 64-bit DCT hash `PerceptualHash.compute(path:)` gives (from colour instead of luma decoding, so a bit
    /// may differ where rounding sits on the median); nil when the pixels could not be decoded (GIF, animated WebP).
    public var perceptualHash: PerceptualHash?
    public var content: ContentFacts
    /// Why the pixels were not decoded, when they were not (the container facts are still known).
    public var pixelsUnavailable: String?

    /// Surveys the file at `path`.
    /// - Parameters:
    ///   - maximumBytes: larger files are refused before reading.
    ///   - maximumPixels: images whose header claims more pixels are refused before decoding.
    /// - Throws: `ImagingError` naming the file: unreadable, not an image, corrupt, or over a cap.
    public static func survey(
        path: String, thresholds: AnalysisThresholds = AnalysisThresholds(), maximumBytes: Int = 512 << 20,
        maximumPixels: Int = 1 << 30
    ) throws(ImagingError) -> ImageSurvey {
        let bytes = try readFile(path, maximumBytes: maximumBytes)
        return try survey(bytes, source: path, thresholds: thresholds, maximumPixels: maximumPixels)
    }

    /// Surveys image bytes already in memory; `source` names them in errors.
    public static func survey(
        _ bytes: [UInt8], source: String, thresholds: AnalysisThresholds = AnalysisThresholds(),
        maximumPixels: Int = 1 << 30
    ) throws(ImagingError) -> ImageSurvey {
        let animation = AnimationProbe.probe(bytes)
        if ImageFormat.sniff(bytes) == nil, let size = AnimationProbe.gifSize(bytes) {
            let facts = ContentFacts(
                width: size.width, height: size.height, frameCount: animation?.frames ?? 1, pixels: nil, exif: .none,
                thresholds: thresholds)
            return ImageSurvey(
                header: nil, exif: .none, perceptualHash: nil, content: facts,
                pixelsUnavailable: "GIF pixels are not decoded; container facts only")
        }
        let header = try ImageHeader.parse(bytes, source: source)
        guard header.width * header.height <= maximumPixels else {
            throw .invalidArgument(
                "\(source): \(header.width)x\(header.height) is over the limit of \(maximumPixels) pixels; refused")
        }
        let exif = (try? ExifFacts.read(imageData: Data(bytes), path: source)) ?? .none
        let upright = header.uprightSize(orientation: exif.orientation)
        let frames = animation?.frames ?? 1
        var pixels: PixelFacts? = nil
        var hash: PerceptualHash? = nil
        var unavailable: String? = nil
        if header.format == .webp && frames > 1 {
            // libwebp's simple decoder refuses animations; the frames need the demuxer, which Imaging does not use.
            unavailable = "animated WebP pixels are not decoded; container facts only"
        } else {
            // JPEG has no alpha: decoding RGB saves a quarter of the work.
            let layout: PixelLayout = header.format == .jpeg ? .rgb : .rgba
            let image = try ImageDecoder.decode(
                bytes, source: source, layout: layout, orientation: exif.orientation,
                minimumSide: PerceptualHash.decodeSide)
            hash = PerceptualHash.compute(image)
            pixels = PixelFacts(measuring: image, thresholds: thresholds)
        }
        let facts = ContentFacts(
            width: upright.width, height: upright.height, frameCount: frames, pixels: pixels, exif: exif,
            thresholds: thresholds)
        return ImageSurvey(header: header, exif: exif, perceptualHash: hash, content: facts, pixelsUnavailable: unavailable)
    }

    /// Reads at most `maximumBytes` (+1 to notice more); a symbolic link is refused, not followed.
    public static func readFile(_ path: String, maximumBytes: Int) throws(ImagingError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            let reason = errno == ELOOP ? "a symbolic link; not followed" : String(cString: strerror(errno))
            throw .unreadable(file: path, detail: reason)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        let data: Data
        do {
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            throw .unreadable(file: path, detail: (error as NSError).localizedDescription)
        }
        guard data.count <= maximumBytes else {
            throw .invalidArgument("\(path): larger than \(maximumBytes) bytes; refused")
        }
        return [UInt8](data)
    }
}
