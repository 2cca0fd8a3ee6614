import Testing

@testable import Imaging

@Suite("WebP decoding at reduced size")
struct WebPReducedDecodingTests {
    /// libwebp's scaled luma decode (no deblocking, Y plane only) hashes within a few bits of the full RGB decode.
    @Test(arguments: [false, true])
    func scaledLumaHashMatchesFullDecode(lossless: Bool) throws {
        let image = PixelImage.pattern(width: 900, height: 640, seed: 41)
        let bytes = lossless ? try ImageEncoder.encodeLosslessWebP(image) : try ImageEncoder.encode(image, as: .webp, quality: 85)
        let reduced = try ImageDecoder.decode(bytes, source: "w.webp", layout: .gray, minimumSide: PerceptualHash.decodeSide)
        #expect(reduced.width == 90 && reduced.height == 64)
        let full = try ImageDecoder.decode(bytes, source: "w.webp", layout: .rgb)
        #expect(full.width == 900 && full.height == 640)
        let distance = PerceptualHash.compute(reduced).distance(to: PerceptualHash.compute(full))
        #expect(distance <= 4, "distance \(distance)")
    }

    /// The same picture as PNG, JPEG and WebP, each decoded by its own reduced path, hashes alike.
    @Test func reducedPathsOfEveryFormatAgree() throws {
        let image = PixelImage.pattern(width: 1000, height: 760, seed: 43)
        var hashes: [ImageFormat: PerceptualHash] = [:]
        for format in ImageFormat.allCases {
            let bytes = try ImageEncoder.encode(image, as: format, quality: 90)
            hashes[format] = PerceptualHash.compute(try ImageDecoder.decode(
                bytes, source: "a.\(format.fileExtension)", layout: .gray, minimumSide: PerceptualHash.decodeSide))
        }
        let reference = PerceptualHash.compute(image)
        for (format, hash) in hashes {
            #expect(hash.distance(to: reference) <= 4, "\(format): distance \(hash.distance(to: reference))")
        }
    }
}
