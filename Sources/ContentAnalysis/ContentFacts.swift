import Configuration
import ExifMetadata

/// The built-in analysis of one image, needing no model: typed facts, and the same facts as `sluice/…` tags for
/// sidecars, manifests and category rules.
public struct ContentFacts: Codable, Equatable, Sendable {
    /// Width and height as displayed (EXIF orientation applied).
    public var width: Int
    public var height: Int
    public var megapixels: Double
    public var aspect: AspectClass
    /// More than one frame (animated GIF, APNG, animated WebP).
    public var isAnimated: Bool
    /// Frames counted in the container (a minimum when the container is damaged).
    public var frameCount: Int
    /// Nil when the pixels could not be decoded here (GIF, animated WebP): then only container facts are known.
    public var pixels: PixelFacts?
    public var isGreyscale: Bool
    public var isMonochrome: Bool
    public var hasAlpha: Bool
    public var photo: PhotoSignal
    /// The facts above as tags in category `sluice`, in a fixed order.
    public var tags: [AnalysisTag]

    /// Combines what the header, container, pixels and EXIF said; pure.
    public init(
        width: Int, height: Int, frameCount: Int, pixels: PixelFacts?, exif: ExifFacts,
        thresholds: AnalysisThresholds = AnalysisThresholds()
    ) {
        self.width = width
        self.height = height
        megapixels = (Double(width * height) / 10_000).rounded() / 100
        aspect = AspectClass(width: width, height: height, thresholds: thresholds)
        self.frameCount = frameCount
        isAnimated = frameCount > 1
        self.pixels = pixels
        isGreyscale = pixels?.isGreyscale(thresholds) ?? false
        isMonochrome = pixels?.isMonochrome(thresholds) ?? false
        hasAlpha = pixels?.hasAlpha ?? false
        photo = PhotoSignal(exif: exif, pixels: pixels)

        var tags: [AnalysisTag] = [.builtIn("aspect:" + aspect.rawValue)]
        if isAnimated { tags.append(.builtIn("animated")) }
        if isGreyscale { tags.append(.builtIn("greyscale")) }
        if isMonochrome { tags.append(.builtIn("monochrome")) }
        if hasAlpha { tags.append(.builtIn("alpha")) }
        if let pixels {
            if pixels.colourfulness >= thresholds.colorfulAt { tags.append(.builtIn("colorful")) }
            if pixels.brightness < thresholds.darkBelow { tags.append(.builtIn("dark")) }
            if pixels.brightness > thresholds.brightAbove { tags.append(.builtIn("bright")) }
        }
        if photo.score >= thresholds.photoAt {
            tags.append(.builtIn("photo", confidence: photo.score))
        } else if photo.score <= thresholds.drawingAt {
            tags.append(.builtIn("drawing", confidence: 1 - photo.score))
        }
        self.tags = tags
    }
}
