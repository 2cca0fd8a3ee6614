import Configuration
import Foundation
import Imaging

/// What the decoded pixels say: grey or colour, transparency, Hasler–Süsstrunk colourfulness, brightness, and the
/// flatness and palette dominance that tell flat-filled drawings from photographs.
public struct PixelFacts: Codable, Equatable, Sendable {
    /// Share of pixels whose channels agree within `AnalysisThresholds.greyTolerance`.
    public var greyShare: Double
    /// Hasler & Süsstrunk (2003): √(σ²rg + σ²yb) + 0.3·√(μ²rg + μ²yb); 0 for grey, over 100 for vivid images.
    public var colourfulness: Double
    /// The standard deviation part of colourfulness alone.
    public var chromaSpread: Double
    /// Mean luma, 0 (black) – 1 (white).
    public var brightness: Double
    /// At least one pixel is not fully opaque.
    public var hasAlpha: Bool
    /// Share of horizontally adjacent pixel pairs that are (nearly) the same colour: high for flat fills.
    public var flatShare: Double
    /// Share of the sample covered by its eight most common colours (4 bits per channel): high for drawings
    /// (paper, ink and a few fills), low for photographs, whose light spreads over many.
    public var paletteDominance: Double
    /// How concentrated the hues of the coloured pixels are (mean resultant length of their hue directions):
    /// 1 when every coloured pixel has the same hue (sepia, a single-colour print), near 0 for many hues.
    public var hueConcentration: Double

    /// The short side statistics are measured at, so a PNG decoded at full size and a JPEG shrunk while decoding
    /// give comparable flatness and dominance.
    public static let measuringSide = 64

    /// Measures `image` (any layout); larger images are first shrunk by area averaging to `measuringSide`.
    public init(measuring image: PixelImage, thresholds: AnalysisThresholds = AnalysisThresholds()) {
        var sample = image
        let shortSide = min(image.width, image.height)
        if shortSide > Self.measuringSide {
            let scale = Double(Self.measuringSide) / Double(shortSide)
            sample = image.resized(
                width: max(1, Int((Double(image.width) * scale).rounded())),
                height: max(1, Int((Double(image.height) * scale).rounded())))
        }
        var accumulator = Accumulator(greyTolerance: thresholds.greyTolerance)
        if image.layout == .rgba {
            // Alpha is judged on every pixel of the decode, not the shrunk sample, so one transparent corner counts.
            accumulator.hasAlpha = image.pixels.withUnsafeBufferPointer { pixels in
                stride(from: 3, to: pixels.count, by: 4).contains { pixels[$0] != 255 }
            }
        }
        accumulator.measure(sample)
        self = accumulator.facts()
    }

    public init(
        greyShare: Double, colourfulness: Double, chromaSpread: Double, brightness: Double, hasAlpha: Bool,
        flatShare: Double, paletteDominance: Double, hueConcentration: Double
    ) {
        self.greyShare = greyShare
        self.colourfulness = colourfulness
        self.chromaSpread = chromaSpread
        self.brightness = brightness
        self.hasAlpha = hasAlpha
        self.flatShare = flatShare
        self.paletteDominance = paletteDominance
        self.hueConcentration = hueConcentration
    }

    /// Every channel of (nearly) every pixel agrees: a greyscale image such as a manga page.
    public func isGreyscale(_ thresholds: AnalysisThresholds) -> Bool { greyShare >= thresholds.greyscaleShare }

    /// Grey, or one tint throughout (sepia): a monochrome image.
    public func isMonochrome(_ thresholds: AnalysisThresholds) -> Bool {
        isGreyscale(thresholds) || hueConcentration >= thresholds.monochromeHueConcentration
    }
}

/// Sums over the pixels of one sample; `facts()` turns them into `PixelFacts`.
private struct Accumulator {
    let greyTolerance: Int
    var hasAlpha = false
    var count = 0
    var grey = 0
    var lumaSum = 0
    var rgSum = 0.0, rgSquares = 0.0, ybSum = 0.0, ybSquares = 0.0
    var pairs = 0, flatPairs = 0
    var colourCounts = [Int](repeating: 0, count: 4096)
    var hueX = 0.0, hueY = 0.0, coloured = 0

    init(greyTolerance: Int) { self.greyTolerance = greyTolerance }

    mutating func measure(_ image: PixelImage) {
        let channels = image.layout.channels
        image.pixels.withUnsafeBufferPointer { pixels in
            for y in 0..<image.height {
                var previous: (Int, Int, Int)? = nil
                for x in 0..<image.width {
                    let base = (y * image.width + x) * channels
                    let r = Int(pixels[base])
                    let g = channels == 1 ? r : Int(pixels[base + 1])
                    let b = channels == 1 ? r : Int(pixels[base + 2])
                    add(r, g, b)
                    if let (pr, pg, pb) = previous {
                        pairs += 1
                        if abs(r - pr) + abs(g - pg) + abs(b - pb) <= 6 { flatPairs += 1 }
                    }
                    previous = (r, g, b)
                }
            }
        }
    }

    private mutating func add(_ r: Int, _ g: Int, _ b: Int) {
        count += 1
        if abs(r - g) <= greyTolerance && abs(g - b) <= greyTolerance && abs(r - b) <= greyTolerance { grey += 1 }
        lumaSum += (r * 299 + g * 587 + b * 114) / 1000
        let rg = Double(r - g), yb = 0.5 * Double(r + g) - Double(b)
        rgSum += rg
        rgSquares += rg * rg
        ybSum += yb
        ybSquares += yb * yb
        colourCounts[(r >> 4) << 8 | (g >> 4) << 4 | (b >> 4)] += 1
        let chroma = (rg * rg + yb * yb).squareRoot()
        if chroma > 8 {
            hueX += rg / chroma
            hueY += yb / chroma
            coloured += 1
        }
    }

    func facts() -> PixelFacts {
        let n = Double(max(count, 1))
        let rgMean = rgSum / n, ybMean = ybSum / n
        let rgVariance = max(0, rgSquares / n - rgMean * rgMean), ybVariance = max(0, ybSquares / n - ybMean * ybMean)
        let spread = (rgVariance + ybVariance).squareRoot()
        let colourfulness = spread + 0.3 * (rgMean * rgMean + ybMean * ybMean).squareRoot()
        return PixelFacts(
            greyShare: Double(grey) / n, colourfulness: colourfulness, chromaSpread: spread,
            brightness: Double(lumaSum) / n / 255, hasAlpha: hasAlpha,
            flatShare: pairs == 0 ? 1 : Double(flatPairs) / Double(pairs),
            paletteDominance: Double(colourCounts.sorted(by: >).prefix(8).reduce(0, +)) / n,
            hueConcentration: coloured == 0 ? 1 : (hueX * hueX + hueY * hueY).squareRoot() / Double(coloured))
    }
}
