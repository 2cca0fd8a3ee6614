import Foundation
import Imaging
import ReviewScreen
import Testing
import TerminalUI

/// What the cold thumbnail path decodes: PNGs shrunk by block averaging, photos turned upright by their EXIF.
@Suite struct ThumbnailSourceTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("thumbsource-\(UUID().uuidString)")

    init() throws { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }

    /// Each pixel of `image` shrunk by `factor`: the rounded mean of its block, fewer pixels at the edges.
    static func blockMean(_ image: PixelImage, factor: Int) -> PixelImage {
        let source = image.rgb()
        let width = (source.width + factor - 1) / factor, height = (source.height + factor - 1) / factor
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<3 {
                    var sum = 0, count = 0
                    for sy in (y * factor)..<min(y * factor + factor, source.height) {
                        for sx in (x * factor)..<min(x * factor + factor, source.width) {
                            sum += Int(source.pixels[(sy * source.width + sx) * 3 + channel])
                            count += 1
                        }
                    }
                    pixels[(y * width + x) * 3 + channel] = UInt8((sum + count / 2) / count)
                }
            }
        }
        return PixelImage(width: width, height: height, layout: .rgb, pixels: pixels)
    }

    @Test(arguments: [PixelLayout.rgb, .gray])
    func pngDecodesShrunkToTheBlockMeanOfItsPixels(layout: PixelLayout) throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // 803×601: the last block column and row are partial.
        let picture = ReviewFixtures.picture(width: 803, height: 601)
        let stored = layout == .gray ? picture.grayscale() : picture
        let path = folder.appendingPathComponent("p.png").path
        try ImageEncoder.write(stored, as: .png, to: path)
        let shrunk = try ImageDecoder.decode(path: path, layout: .rgb, minimumSide: 150)
        // 601 / 150 = 4: the largest factor that keeps both sides at least 150.
        #expect((shrunk.width, shrunk.height) == (201, 151))
        #expect(shrunk == Self.blockMean(stored, factor: 4))
        // Smaller than the image's own short side cannot shrink: full size, as before.
        let full = try ImageDecoder.decode(path: path, layout: .rgb, minimumSide: 400)
        #expect(full == stored.rgb())
    }

    @Test func quickPNGDecodesToTheSamePixels() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let picture = ReviewFixtures.picture(width: 123, height: 77)
        for image in [picture, picture.grayscale()] {
            let png = try ImageEncoder.encodeQuickPNG(image)
            #expect(try ImageDecoder.decode(png, source: "quick.png", layout: image.layout) == image)
        }
    }

    @Test func exifOrientationTurnsTheThumbnailUpright() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // Stored 400×200, left half red and right half blue; orientation 6 shows it turned clockwise: red on top.
        var pixels = [UInt8](repeating: 0, count: 400 * 200 * 3)
        for y in 0..<200 {
            for x in 0..<400 { pixels[(y * 400 + x) * 3 + (x < 200 ? 0 : 2)] = 255 }
        }
        let path = folder.appendingPathComponent("turned.jpg").path
        try ImageEncoder.write(PixelImage(width: 400, height: 200, layout: .rgb, pixels: pixels), as: .jpeg, to: path)
        let exiftool = Process()
        exiftool.executableURL = URL(fileURLWithPath: "/usr/bin/exiftool")
        exiftool.arguments = ["-q", "-overwrite_original", "-Orientation#=6", path]
        try exiftool.run()
        exiftool.waitUntilExit()
        try #require(exiftool.terminationStatus == 0)

        let size = TerminalSize(columns: 40, rows: 20, cellWidth: 10, cellHeight: 20)
        let key = ThumbnailCache.key(path: path, mode: .blocks, columns: 40, rows: 20, size: size)
        let thumbnail = try ThumbnailCache().thumbnail(key).get()
        // Upright 200×400 in a 40×40 half-block box: 20 wide, 40 high (stored sideways it would be 40×20).
        #expect((thumbnail.pixelWidth, thumbnail.pixelHeight) == (20, 40))
        func foreground(_ line: String) -> [Int] {
            guard let start = line.range(of: "38;2;") else { return [] }
            return line[start.upperBound...].prefix { $0 != "m" }.split(separator: ";").map { Int($0)! }
        }
        let top = foreground(thumbnail.lines[0]), bottom = foreground(thumbnail.lines[thumbnail.lines.count - 1])
        try #require(top.count == 3 && bottom.count == 3)
        #expect(top[0] > 200 && top[2] < 60)
        #expect(bottom[2] > 200 && bottom[0] < 60)
    }
}
