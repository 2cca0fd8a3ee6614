/// Simple facts about an image's pixels that later steps use (grayscale manga pages, transparent PNGs).
public struct ImageStatistics: Sendable, Equatable {
    /// Every pixel's channels are within `tolerance` of each other.
    public let isGrayscale: Bool
    /// The image has an alpha channel with at least one pixel that is not fully opaque.
    public let hasAlpha: Bool
    /// Mean luma, 0–255.
    public let meanLuma: Double

    /// Measures `image`; `tolerance` absorbs the color noise lossy codecs add to gray images.
    public init(_ image: PixelImage, tolerance: Int = 8) {
        let channels = image.layout.channels
        var gray = true
        var alpha = false
        var lumaSum = 0
        image.pixels.withUnsafeBufferPointer { pixels in
            for index in 0..<image.width * image.height {
                let base = index * channels
                if channels == 1 {
                    lumaSum += Int(pixels[base])
                    continue
                }
                let r = Int(pixels[base]), g = Int(pixels[base + 1]), b = Int(pixels[base + 2])
                lumaSum += (r * 299 + g * 587 + b * 114) / 1000
                if gray && (abs(r - g) > tolerance || abs(g - b) > tolerance || abs(r - b) > tolerance) { gray = false }
                if channels == 4 && pixels[base + 3] != 255 { alpha = true }
            }
        }
        isGrayscale = gray
        hasAlpha = alpha
        meanLuma = Double(lumaSum) / Double(image.width * image.height)
    }
}
