import Foundation
import Testing

@testable import Imaging

/// A unique temporary folder for one test, removed when the test ends.
struct TemporaryFolder: ~Copyable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("imagingtests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        try Data(bytes).write(to: URL(fileURLWithPath: file(name)))
        return file(name)
    }
}

@Suite("Image headers and decoding")
struct ImageDecodingTests {
    @Test(arguments: ImageFormat.allCases)
    func headerGivesFormatAndSize(format: ImageFormat) throws {
        let folder = try TemporaryFolder()
        let image = PixelImage.pattern(width: 301, height: 203, seed: 7)
        let path = try folder.write("image.\(format.fileExtension)", ImageEncoder.encode(image, as: format))
        #expect(try ImageHeader.read(path: path) == ImageHeader(format: format, width: 301, height: 203))
        let decoded = try ImageDecoder.decode(path: path)
        #expect(decoded.width == 301 && decoded.height == 203)
    }

    @Test func losslessWebPHeaderReads() throws {
        let folder = try TemporaryFolder()
        let image = PixelImage.pattern(width: 99, height: 45, seed: 3)
        let path = try folder.write("a.webp", ImageEncoder.encodeLosslessWebP(image))
        #expect(try ImageHeader.read(path: path) == ImageHeader(format: .webp, width: 99, height: 45))
        #expect(try ImageDecoder.decode(path: path) == image)
    }

    @Test func pngRoundTripsExactly() throws {
        let image = PixelImage.pattern(width: 64, height: 40, seed: 11)
        let bytes = try ImageEncoder.encode(image, as: .png)
        #expect(try ImageDecoder.decode(bytes, source: "memory") == image)
    }

    @Test func jpegFrameHeaderAfterLargeSegmentsIsFound() throws {
        let folder = try TemporaryFolder()
        var bytes = try ImageEncoder.encode(PixelImage.pattern(width: 120, height: 80, seed: 1), as: .jpeg)
        // Two 60 KiB APP2 segments push the frame header past the first 64 KiB read.
        let segment: [UInt8] = [0xFF, 0xE2, 0xEA, 0x60] + [UInt8](repeating: 0x41, count: 0xEA60 - 2)
        bytes.insert(contentsOf: segment + segment, at: 2)
        let path = try folder.write("big-exif.jpg", bytes)
        #expect(try ImageHeader.read(path: path) == ImageHeader(format: .jpeg, width: 120, height: 80))
    }

    @Test func unknownDataErrorNamesTheFile() throws {
        let folder = try TemporaryFolder()
        let path = try folder.write("notes.png", Array("just some text, not an image".utf8))
        #expect(throws: ImagingError.unknownFormat(file: path)) { try ImageHeader.read(path: path) }
        #expect(throws: ImagingError.unknownFormat(file: path)) { try PerceptualHash.compute(path: path) }
    }

    @Test(arguments: ImageFormat.allCases)
    func truncatedImageErrorNamesTheFile(format: ImageFormat) throws {
        let folder = try TemporaryFolder()
        let bytes = try ImageEncoder.encode(PixelImage.pattern(width: 200, height: 150, seed: 5), as: format)
        let path = try folder.write("cut.\(format.fileExtension)", Array(bytes.prefix(bytes.count / 2)))
        do {
            _ = try ImageDecoder.decode(path: path)
            Issue.record("decoded a truncated \(format)")
        } catch {
            #expect(error.description.hasPrefix(path + ": corrupt image"), "\(error)")
        }
    }

    @Test func missingFileErrorNamesIt() throws {
        let folder = try TemporaryFolder()
        do {
            _ = try ImageHeader.read(path: folder.file("gone.jpg"))
            Issue.record("read a missing file")
        } catch {
            #expect(error.description.contains(folder.file("gone.jpg")))
        }
    }

    /// The fast luma path (libdeflate + our unfiltering) must agree exactly with libpng for every filter type.
    @Test(arguments: [PixelLayout.gray, .rgb, .rgba], [true, false])
    func fastPNGLumaMatchesLibpng(layout: PixelLayout, fast: Bool) throws {
        let color = PixelImage.pattern(width: 173, height: 91, seed: 31)
        let image: PixelImage
        switch layout {
        case .gray: image = color.grayscale()
        case .rgb: image = color
        case .rgba:
            var pixels: [UInt8] = []
            for index in 0..<(173 * 91) { pixels += color.pixels[(index * 3)..<(index * 3 + 3)] + [UInt8(index % 256)] }
            image = PixelImage(width: 173, height: 91, layout: .rgba, pixels: pixels)
        }
        let bytes = try Codecs.encodePNG(image, fast: fast)
        let viaFastPath = try #require(try Codecs.decodePNGLuma(bytes, source: "m"))
        let viaLibpng = try ImageDecoder.decode(bytes, source: "m", layout: layout == .rgba ? .rgba : .rgb).grayscale()
        #expect(viaFastPath == viaLibpng)
    }

    @Test func palettePNGLumaMatchesLibpng() throws {
        // A 2x1 palette PNG (colour type 3: red, blue) made with Python's zlib and struct: both paths give Pillow's luma.
        let bytes: [UInt8] = [
            0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
            0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x08, 0x03, 0x00, 0x00, 0x00, 0xC3, 0xFC, 0x8F, 0xB8, 0x00, 0x00, 0x00,
            0x06, 0x50, 0x4C, 0x54, 0x45, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0x6C, 0xA1, 0xFD, 0x8E, 0x00, 0x00, 0x00,
            0x0B, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x60, 0x60, 0x04, 0x00, 0x00, 0x04, 0x00, 0x02, 0xBF, 0x7A,
            0x3F, 0x4A, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
        ]
        #expect(try Codecs.decodePNGLuma(bytes, source: "p")?.pixels == [76, 29])
        let viaLibpng = try ImageDecoder.decode(bytes, source: "p", layout: .rgb).grayscale()
        #expect(viaLibpng.pixels == [76, 29])
    }

    @Test func jpegShrinksOnLoadByDCTScaling() throws {
        let bytes = try ImageEncoder.encode(PixelImage.pattern(width: 1600, height: 1200, seed: 2), as: .jpeg)
        let small = try ImageDecoder.decode(bytes, source: "memory", layout: .gray, minimumSide: 64)
        #expect(small.width == 200 && small.height == 150)
        #expect(small.layout == .gray)
    }

    @Test func webpShrinksOnLoad() throws {
        let bytes = try ImageEncoder.encode(PixelImage.pattern(width: 640, height: 480, seed: 2), as: .webp)
        let small = try ImageDecoder.decode(bytes, source: "memory", layout: .gray, minimumSide: 64)
        #expect(small.height == 64 && small.width == 86)
    }

    @Test func invalidOrientationIsRejected() throws {
        let bytes = try ImageEncoder.encode(PixelImage.pattern(width: 8, height: 8, seed: 2), as: .png)
        #expect(throws: ImagingError.self) { try ImageDecoder.decode(bytes, source: "x.png", orientation: 9) }
    }
}

@Suite("Orientation, resize and statistics")
struct PixelOperationTests {
    /// 3 wide, 2 high: 0 1 2 / 3 4 5.
    let grid = PixelImage(width: 3, height: 2, layout: .gray, pixels: [0, 1, 2, 3, 4, 5])

    @Test(arguments: [
        (1, 3, [0, 1, 2, 3, 4, 5]),
        (2, 3, [2, 1, 0, 5, 4, 3]),
        (3, 3, [5, 4, 3, 2, 1, 0]),
        (4, 3, [3, 4, 5, 0, 1, 2]),
        (5, 2, [0, 3, 1, 4, 2, 5]),
        (6, 2, [3, 0, 4, 1, 5, 2]),
        (7, 2, [5, 2, 4, 1, 3, 0]),
        (8, 2, [2, 5, 1, 4, 0, 3]),
    ])
    func exifOrientationTurnsPixelsUpright(orientation: Int, width: Int, expected: [UInt8]) {
        let upright = grid.oriented(exif: orientation)
        #expect(upright.width == width)
        #expect(upright.pixels == expected)
    }

    @Test func decodingAppliesTheCallersOrientation() throws {
        let upright = PixelImage.pattern(width: 60, height: 40, seed: 9)
        let storedSideways = upright.oriented(exif: 8)
        let bytes = try ImageEncoder.encode(storedSideways, as: .png)
        #expect(try ImageDecoder.decode(bytes, source: "memory", orientation: 6) == upright)
        let hashUpright = PerceptualHash.compute(upright)
        #expect(try PerceptualHash.compute(ImageDecoder.decode(bytes, source: "m", orientation: 6)) == hashUpright)
        #expect(try PerceptualHash.compute(ImageDecoder.decode(bytes, source: "m")).distance(to: hashUpright) > 10)
    }

    @Test(arguments: 1...8)
    func uprightSizeSwapsSidesForQuarterTurns(orientation: Int) {
        let size = ImageHeader(format: .jpeg, width: 300, height: 200).uprightSize(orientation: orientation)
        let expected = grid.oriented(exif: orientation)
        #expect((size.width > size.height) == (expected.width > expected.height))
    }

    @Test func shrinkingAveragesAreas() {
        let image = PixelImage(width: 4, height: 2, layout: .gray, pixels: [0, 100, 200, 40, 10, 110, 210, 50])
        #expect(image.resized(width: 2, height: 1).pixels == [55, 125])
    }

    @Test func resizeKeepsUniformColor() {
        let flat = PixelImage(width: 7, height: 5, layout: .rgb, pixels: [UInt8](repeating: 77, count: 105))
        #expect(flat.resized(width: 13, height: 3).pixels.allSatisfy { $0 == 77 })
    }

    @Test func statisticsSeeGrayColorAndAlpha() throws {
        let color = PixelImage.pattern(width: 50, height: 50, seed: 4)
        #expect(!ImageStatistics(color).isGrayscale)
        #expect(ImageStatistics(color.grayscale().rgb()).isGrayscale)
        var rgba = [UInt8]()
        for index in 0..<100 { rgba += [10, 20, 30, index == 42 ? 0 : 255] }
        let transparent = PixelImage(width: 10, height: 10, layout: .rgba, pixels: rgba)
        #expect(ImageStatistics(transparent).hasAlpha)
        #expect(!ImageStatistics(color).hasAlpha)
        let bytes = try ImageEncoder.encode(transparent, as: .png)
        #expect(ImageStatistics(try ImageDecoder.decode(bytes, source: "m", layout: .rgba)).hasAlpha)
    }
}

@Suite("Perceptual hash")
struct PerceptualHashTests {
    @Test func reencodedAndResizedCopiesStayClose() throws {
        let folder = try TemporaryFolder()
        let original = PixelImage.pattern(width: 900, height: 600, seed: 21)
        let png = try folder.write("a.png", ImageEncoder.encode(original, as: .png))
        let jpeg = try folder.write("a.jpg", ImageEncoder.encode(original.resized(width: 630, height: 420), as: .jpeg, quality: 80))
        let webp = try folder.write("a.webp", ImageEncoder.encode(original.resized(width: 450, height: 300), as: .webp, quality: 75))
        let reference = try PerceptualHash.compute(path: png)
        for copy in [jpeg, webp] {
            let distance = try PerceptualHash.compute(path: copy).distance(to: reference)
            #expect(distance <= 4, "\(copy): distance \(distance)")
        }
    }

    @Test func differentImagesAreFarApart() {
        let hashes = (0..<12).map { PerceptualHash.compute(PixelImage.pattern(width: 160, height: 120, seed: UInt64($0))) }
        for i in hashes.indices {
            for j in hashes.indices where j > i {
                #expect(hammingDistance(hashes[i], hashes[j]) >= 12, "seeds \(i) and \(j)")
            }
        }
    }

    @Test func hexFormRoundTrips() {
        let hash = PerceptualHash(value: 0x00F0_1234_ABCD_0001)
        #expect(hash.description == "00f01234abcd0001")
        #expect(PerceptualHash(hex: hash.description) == hash)
        #expect(PerceptualHash(hex: "xyz") == nil)
    }

    @Test func flatImageHashesWithoutCrashing() {
        let flat = PixelImage(width: 40, height: 40, layout: .gray, pixels: [UInt8](repeating: 128, count: 1600))
        #expect(PerceptualHash.compute(flat).distance(to: PerceptualHash.compute(flat)) == 0)
    }
}
