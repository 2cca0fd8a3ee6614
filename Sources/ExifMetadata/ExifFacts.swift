import Foundation
import SystemIO

/// What the pipeline needs from an image's EXIF: orientation, capture date, camera and recorded size.
public struct ExifFacts: Equatable, Hashable, Sendable, Codable {
    /// EXIF orientation 1–8 (1 when absent or out of range); Imaging applies it before hashing and thumbnails.
    public var orientation: Int
    /// DateTimeOriginal, else DateTimeDigitized, else DateTime.
    public var captureDate: CaptureDate?
    public var make: String?
    public var model: String?
    /// PixelXDimension / PixelYDimension as recorded in EXIF (not measured from the image data).
    public var pixelWidth: Int?
    public var pixelHeight: Int?
    /// Whether the image carried a readable EXIF block at all.
    public var hasExif: Bool

    public init(
        orientation: Int = 1, captureDate: CaptureDate? = nil, make: String? = nil, model: String? = nil,
        pixelWidth: Int? = nil, pixelHeight: Int? = nil, hasExif: Bool = false
    ) {
        self.orientation = orientation
        self.captureDate = captureDate
        self.make = make
        self.model = model
        self.pixelWidth = pixelWidth
        self.pixelHeight = pixelHeight
        self.hasExif = hasExif
    }

    /// Facts for an image with no EXIF: orientation 1 and nothing else.
    public static let none = ExifFacts()

    /// The largest image file whose EXIF is read (the whole file is read: a PNG's eXIf may follow its pixels).
    public static let maximumImageBytes = 1 << 30

    /// A camera make or model suggests a photograph rather than a drawing.
    public var suggestsPhotograph: Bool { make != nil || model != nil }

    /// Reads the EXIF of a JPEG, PNG or WebP file; other formats and images without EXIF give `.none`.
    /// - Throws: `ExifError` naming the file when it cannot be read, its container is damaged, or its EXIF is garbage.
    public static func read(from path: String) throws(ExifError) -> ExifFacts {
        let data: Data
        do {
            // Regular files only, capped: a FIFO or /dev/zero named like an image must not hang or fill memory.
            data = try RegularFileReader.read(path, maxBytes: maximumImageBytes, followSymlinks: true)
        } catch {
            throw .cannotRead(path: path, reason: "\(error)")
        }
        return try read(imageData: data, path: path)
    }

    /// Reads the EXIF of image bytes already in memory; `path` only names the image in errors.
    public static func read(imageData: Data, path: String) throws(ExifError) -> ExifFacts {
        let block: [UInt8]?
        do {
            block = try ExifBlockLocator.exifBlock(in: imageData)
        } catch {
            throw .malformedContainer(path: path, detail: error.detail)
        }
        guard let block else { return .none }
        guard let facts = LibExif.facts(fromBlock: block) else { throw .unreadableExif(path: path) }
        return facts
    }

    /// Reads a raw EXIF block (with or without the `Exif\0\0` header); nil when libexif finds no entry.
    public static func parse(exifBlock: [UInt8]) -> ExifFacts? {
        let header = ExifBlockLocator.exifHeader
        return LibExif.facts(fromBlock: exifBlock.starts(with: header) ? exifBlock : header + exifBlock)
    }
}
