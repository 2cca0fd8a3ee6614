/// Decodes JPEG, PNG and WebP files to 8-bit pixels, optionally shrinking while decoding.
public enum ImageDecoder {
    /// The default pixel cap (100 MP, config `index.max_pixels`): a 30000×30000 PNG of a few MB would need 2.7 GB.
    public static let defaultMaxPixels = 100_000_000

    /// Decodes the image at `path`.
    /// - Parameters:
    ///   - layout: gray (luma), RGB or RGBA output.
    ///   - orientation: the EXIF orientation (1–8) the caller read; the pixels come back upright.
    ///   - minimumSide: when set, decoding may shrink the image (JPEG DCT scaling, WebP rescaling, PNG block
    ///     averaging for RGB output of gray or RGB files) as long as both sides stay at least this long.
    ///   - maxPixels: an image whose header declares more pixels is refused before any decoding.
    public static func decode(
        path: String, layout: PixelLayout = .rgb, orientation: Int = 1, minimumSide: Int? = nil,
        maxPixels: Int = defaultMaxPixels
    ) throws(ImagingError) -> PixelImage {
        try decode(
            Codecs.readFile(path), source: path, layout: layout, orientation: orientation, minimumSide: minimumSide,
            maxPixels: maxPixels)
    }

    /// Decodes an image held in memory; `source` names it in errors.
    public static func decode(
        _ data: [UInt8], source: String, layout: PixelLayout = .rgb, orientation: Int = 1, minimumSide: Int? = nil,
        maxPixels: Int = defaultMaxPixels
    ) throws(ImagingError) -> PixelImage {
        guard (1...8).contains(orientation) else {
            throw .invalidArgument("EXIF orientation \(orientation) for \(source) is outside 1–8")
        }
        // The pixel cap comes from the header, before a decoder allocates anything.
        let header = try ImageHeader.parse(data, source: source)
        guard header.width * header.height <= maxPixels else {
            throw .tooManyPixels(file: source, width: header.width, height: header.height, limit: maxPixels)
        }
        let image: PixelImage
        switch ImageFormat.sniff(data) {
        case .jpeg: image = try Codecs.decodeJPEG(data, source: source, layout: layout, minimumSide: minimumSide)
        case .png: image = try Codecs.decodePNG(data, source: source, layout: layout, minimumSide: minimumSide)
        case .webp: image = try Codecs.decodeWebP(data, source: source, layout: layout, minimumSide: minimumSide)
        case nil: throw .unknownFormat(file: source)
        }
        return image.oriented(exif: orientation)
    }
}

/// Encodes pixels as PNG (libpng), JPEG (libturbojpeg) or WebP (libwebp).
public enum ImageEncoder {
    /// Encodes `image`; `quality` (1–100) applies to JPEG and lossy WebP.
    public static func encode(_ image: PixelImage, as format: ImageFormat, quality: Int = 90) throws(ImagingError)
        -> [UInt8]
    {
        switch format {
        case .png: return try Codecs.encodePNG(image)
        case .jpeg: return try Codecs.encodeJPEG(image, quality: quality)
        case .webp: return try Codecs.encodeWebP(image, quality: quality, lossless: false)
        }
    }

    /// Encodes a PNG built for speed over size (terminal thumbnails: encoded on every key press, decoded at once).
    public static func encodeQuickPNG(_ image: PixelImage) throws(ImagingError) -> [UInt8] {
        try Codecs.encodeQuickPNG(image)
    }

    /// Encodes a lossless WebP.
    public static func encodeLosslessWebP(_ image: PixelImage) throws(ImagingError) -> [UInt8] {
        try Codecs.encodeWebP(image, quality: 100, lossless: true)
    }

    /// Encodes `image` and writes it to `path` (created or replaced).
    public static func write(_ image: PixelImage, as format: ImageFormat, quality: Int = 90, to path: String)
        throws(ImagingError)
    {
        try Codecs.writeFile(encode(image, as: format, quality: quality), to: path)
    }
}
