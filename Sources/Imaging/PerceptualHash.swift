import Foundation

/// A 64-bit DCT perceptual hash in the manner of Python's `imagehash.phash`: 32×32 luma, 2-D DCT-II, the
/// top-left 8×8 coefficients thresholded at their median. Near-identical images differ in few bits.
public struct PerceptualHash: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Bit 63 is coefficient (0, 0), then row by row, as imagehash prints it.
    public let value: UInt64

    public init(value: UInt64) { self.value = value }

    /// Parses the 16 hex digits `description` prints (imagehash's `str(hash)` format).
    public init?(hex: String) {
        guard hex.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        self.value = value
    }

    public var description: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// How many of the 64 bits differ: 0 for the same picture, about 32 for unrelated ones.
    public func distance(to other: PerceptualHash) -> Int { (value ^ other.value).nonzeroBitCount }

    /// Hashes the image at `path`, decoding at reduced size where the codec allows.
    public static func compute(
        path: String, orientation: Int = 1, maxPixels: Int = ImageDecoder.defaultMaxPixels
    ) throws(ImagingError) -> PerceptualHash {
        compute(try ImageDecoder.decode(
            path: path, layout: .gray, orientation: orientation, minimumSide: decodeSide, maxPixels: maxPixels))
    }

    /// Hashes decoded pixels (any layout; color is turned into luma first).
    public static func compute(_ image: PixelImage) -> PerceptualHash {
        let small = image.grayscale().resized(width: side, height: side)
        return compute(luma32: small.pixels)
    }

    /// Decoding may shrink images until their shorter side reaches this; area averaging then takes it to 32.
    public static let decodeSide = 64
    static let side = 32
    static let lowFrequencies = 8

    /// cos(π·(2n+1)·k / 64) for k < 8, n < 32: the only DCT basis rows the hash needs.
    private static let basis: [Double] = (0..<lowFrequencies).flatMap { k in
        (0..<side).map { n in cos(Double.pi * Double(2 * n + 1) * Double(k) / Double(2 * side)) }
    }

    /// The hash of 32×32 luma bytes.
    static func compute(luma32 pixels: [UInt8]) -> PerceptualHash {
        precondition(pixels.count == side * side, "phash needs 32x32 luma")
        // DCT along columns (axis 0), keeping 8 frequency rows; then along rows (axis 1), keeping 8 columns.
        var columns = [Double](repeating: 0, count: lowFrequencies * side)
        for u in 0..<lowFrequencies {
            for x in 0..<side {
                var sum = 0.0
                for y in 0..<side { sum += Double(pixels[y * side + x]) * basis[u * side + y] }
                columns[u * side + x] = sum
            }
        }
        var coefficients = [Double](repeating: 0, count: lowFrequencies * lowFrequencies)
        for u in 0..<lowFrequencies {
            for v in 0..<lowFrequencies {
                var sum = 0.0
                for x in 0..<side { sum += columns[u * side + x] * basis[v * side + x] }
                coefficients[u * lowFrequencies + v] = sum
            }
        }
        let sorted = coefficients.sorted()
        let median = (sorted[31] + sorted[32]) / 2
        var value: UInt64 = 0
        for coefficient in coefficients { value = value << 1 | (coefficient > median ? 1 : 0) }
        return PerceptualHash(value: value)
    }
}

/// The number of differing bits between two perceptual hashes.
public func hammingDistance(_ first: PerceptualHash, _ second: PerceptualHash) -> Int {
    first.distance(to: second)
}
