import Foundation
import Imaging

/// Generated images for the analysis tests, encoded with the project's own codecs (and hand-built containers for
/// EXIF, GIF and animated WebP, whose structure is the point of the test).
enum Fixtures {
    /// A manga-like page: white paper, black panel borders and strokes, a grey screentone dot pattern.
    static func mangaPage(width: Int = 700, height: Int = 1000) -> PixelImage {
        var pixels = [UInt8](repeating: 255, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let border = x < 12 || x >= width - 12 || y < 12 || y >= height - 12 || abs(y - height / 2) < 4
                let stroke = abs((x - y / 2) % 97) < 3
                let tone = y > height / 2 && (x % 6 < 3) && (y % 6 < 3)
                pixels[y * width + x] = border || stroke ? 10 : tone ? 90 : 250
            }
        }
        return PixelImage(width: width, height: height, layout: .gray, pixels: pixels).rgb()
    }

    /// The manga page tinted sepia: one hue throughout.
    static func sepiaPage() -> PixelImage {
        let grey = mangaPage(width: 500, height: 700).grayscale()
        var pixels: [UInt8] = []
        pixels.reserveCapacity(grey.pixels.count * 3)
        for value in grey.pixels {
            let v = Double(value)
            pixels += [UInt8(min(255, v * 1.0)), UInt8(min(255, v * 0.85)), UInt8(min(255, v * 0.62))]
        }
        return PixelImage(width: grey.width, height: grey.height, layout: .rgb, pixels: pixels)
    }

    /// Saturated hue bands, flat fills: a colourful drawing.
    static func colourfulDrawing(width: Int = 1200, height: Int = 800) -> PixelImage {
        let palette: [(UInt8, UInt8, UInt8)] = [(230, 20, 30), (250, 200, 0), (20, 180, 40), (0, 90, 230), (200, 0, 200), (0, 220, 220)]
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let band = ((x / 100) + (y / 160)) % palette.count
                let color = palette[band]
                pixels[(y * width + x) * 3] = color.0
                pixels[(y * width + x) * 3 + 1] = color.1
                pixels[(y * width + x) * 3 + 2] = color.2
            }
        }
        return PixelImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// Photo-like: smooth light falling off across the frame plus per-pixel sensor noise in every channel.
    static func photoLikeNoise(width: Int = 1024, height: Int = 768, seed: UInt64 = 7) -> PixelImage {
        var state = seed
        func random() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33)
        }
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let light = 60.0 + 120.0 * sin(Double(x) / 90) * cos(Double(y) / 70) + 40.0 * Double(x) / Double(width)
                for channel in 0..<3 {
                    let tint = [1.0, 0.8, 0.6][channel] * light + Double(channel * 15)
                    pixels[(y * width + x) * 3 + channel] = UInt8(clamping: Int(tint) + random() % 61 - 30)
                }
            }
        }
        return PixelImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    /// A sticker: a colourful disc on a transparent background.
    static func transparentSticker(side: Int = 300) -> PixelImage {
        var pixels = [UInt8](repeating: 0, count: side * side * 4)
        for y in 0..<side {
            for x in 0..<side {
                let dx = x - side / 2, dy = y - side / 2
                let inside = dx * dx + dy * dy < (side / 3) * (side / 3)
                let base = (y * side + x) * 4
                pixels[base] = inside ? 240 : 0
                pixels[base + 1] = inside ? UInt8(x % 256) : 0
                pixels[base + 2] = inside ? 60 : 0
                pixels[base + 3] = inside ? 255 : 0
            }
        }
        return PixelImage(width: side, height: side, layout: .rgba, pixels: pixels)
    }

    /// A JPEG with an EXIF APP1 segment holding a camera make and model (little-endian TIFF, IFD0 only).
    static func jpegWithCamera(_ image: PixelImage, make: String, model: String) throws -> [UInt8] {
        let plain = try ImageEncoder.encode(image, as: .jpeg, quality: 92)
        let makeBytes = Array(make.utf8) + [0], modelBytes = Array(model.utf8) + [0]
        let ifdSize = 2 + 2 * 12 + 4
        let makeOffset = 8 + ifdSize, modelOffset = makeOffset + makeBytes.count
        var tiff: [UInt8] = Array("II".utf8) + le16(42) + le32(8) + le16(2)
        tiff += le16(0x010F) + le16(2) + le32(makeBytes.count) + le32(makeOffset)
        tiff += le16(0x0110) + le16(2) + le32(modelBytes.count) + le32(modelOffset)
        tiff += le32(0) + makeBytes + modelBytes
        let block = Array("Exif".utf8) + [0, 0] + tiff
        let length = block.count + 2
        return Array(plain[0..<2]) + [0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + block + Array(plain[2...])
    }

    /// A GIF89a with `frames` 1×1 frames (each a graphic control extension and an image), the NETSCAPE loop extension.
    static func animatedGIF(frames: Int, width: Int = 320, height: Int = 240) -> [UInt8] {
        var bytes = Array("GIF89a".utf8) + le16(width) + le16(height) + [0x80, 0, 0] + [255, 255, 255, 0, 0, 0]
        bytes += [0x21, 0xFF, 11] + Array("NETSCAPE2.0".utf8) + [3, 1, 0, 0, 0]
        for frame in 0..<frames {
            bytes += [0x21, 0xF9, 4, 0x04, 10, 0, 0, 0]
            bytes += [0x2C] + le16(frame % width) + le16(0) + le16(1) + le16(1) + [0]
            bytes += [2, 2, 0x44, 0x01, 0]
        }
        return bytes + [0x3B]
    }

    /// An animated WebP: VP8X with the animation flag, ANIM, and one ANMF per frame wrapping a real lossless frame.
    static func animatedWebP(frames: Int, width: Int = 64, height: Int = 48) throws -> [UInt8] {
        var chunks: [UInt8] = []
        chunks += riff("VP8X", [0x02, 0, 0, 0] + le24(width - 1) + le24(height - 1))
        chunks += riff("ANIM", [255, 255, 255, 255] + le16(0))
        for frame in 0..<frames {
            let still = try ImageEncoder.encodeLosslessWebP(PixelImage.pattern(width: width, height: height, seed: UInt64(frame)))
            // The still file is RIFF(12) + its VP8L chunk: reuse that chunk as the frame's bitstream.
            let bitstream = Array(still[12...])
            let header = le24(0) + le24(0) + le24(width - 1) + le24(height - 1) + le24(100) + [0]
            chunks += riff("ANMF", header + bitstream)
        }
        return Array("RIFF".utf8) + le32(4 + chunks.count) + Array("WEBP".utf8) + chunks
    }

    static func write(_ bytes: [UInt8], _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-analysis-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func riff(_ fourCC: String, _ payload: [UInt8]) -> [UInt8] {
        Array(fourCC.utf8) + le32(payload.count) + payload + (payload.count % 2 == 1 ? [0] : [])
    }

    private static func le16(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF)] }
    private static func le24(_ value: Int) -> [UInt8] { [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF)] }
    private static func le32(_ value: Int) -> [UInt8] { le16(value & 0xFFFF) + le16((value >> 16) & 0xFFFF) }
}
