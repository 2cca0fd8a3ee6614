import Configuration
import ExifMetadata
import Foundation
import Imaging
import Testing

@testable import ContentAnalysis

@Suite final class ImageSurveyTests {
    let folder: URL

    deinit { try? FileManager.default.removeItem(at: folder) }

    init() throws { folder = try Fixtures.temporaryFolder() }

    func names(_ survey: ImageSurvey) -> [String] { survey.content.tags.map(\.name) }

    @Test func mangaPageIsGreyscaleMonochromeDrawingPortrait() throws {
        let path = try Fixtures.write(ImageEncoder.encode(Fixtures.mangaPage(), as: .png), "page.png", in: folder)
        let survey = try ImageSurvey.survey(path: path)
        #expect(survey.content.isGreyscale && survey.content.isMonochrome)
        #expect(survey.content.aspect == .portrait && survey.content.megapixels == 0.7)
        #expect(names(survey).contains("sluice/greyscale") && names(survey).contains("sluice/monochrome"))
        #expect(names(survey).contains("sluice/drawing"), "\(survey.content.photo)")
        #expect(!names(survey).contains("sluice/colorful") && !names(survey).contains("sluice/alpha"))
        #expect(survey.content.tags.allSatisfy { $0.category == "sluice" })
    }

    @Test func mangaPageAsLossyJPEGIsStillGreyscale() throws {
        let path = try Fixtures.write(ImageEncoder.encode(Fixtures.mangaPage(), as: .jpeg, quality: 80), "page.jpg", in: folder)
        #expect(try ImageSurvey.survey(path: path).content.isGreyscale)
    }

    @Test func sepiaPageIsMonochromeButNotGreyscale() throws {
        let path = try Fixtures.write(ImageEncoder.encode(Fixtures.sepiaPage(), as: .webp, quality: 90), "sepia.webp", in: folder)
        let content = try ImageSurvey.survey(path: path).content
        #expect(!content.isGreyscale)
        #expect(content.isMonochrome)
    }

    @Test func colourfulDrawingIsColorfulLandscapeDrawing() throws {
        let path = try Fixtures.write(ImageEncoder.encode(Fixtures.colourfulDrawing(), as: .png), "bands.png", in: folder)
        let survey = try ImageSurvey.survey(path: path)
        let pixels = try #require(survey.content.pixels)
        #expect(pixels.colourfulness > 80)
        #expect(survey.content.aspect == .landscape)
        #expect(names(survey).contains("sluice/colorful") && names(survey).contains("sluice/drawing"))
        #expect(!survey.content.isMonochrome)
    }

    @Test func photoLikeNoiseWithCameraIsAPhoto() throws {
        let bytes = try Fixtures.jpegWithCamera(Fixtures.photoLikeNoise(), make: "Canon", model: "Canon EOS 5D Mark IV")
        let path = try Fixtures.write(bytes, "IMG_0001.JPG", in: folder)
        let survey = try ImageSurvey.survey(path: path)
        #expect(survey.exif.make == "Canon")
        #expect(survey.content.photo.score >= 0.7)
        #expect(survey.content.photo.evidence.first == "camera: Canon Canon EOS 5D Mark IV")
        #expect(names(survey).contains("sluice/photo") && !names(survey).contains("sluice/drawing"))
    }

    @Test func cameraAloneDoesNotMakeAFlatDrawingAPhoto() throws {
        let bytes = try Fixtures.jpegWithCamera(Fixtures.colourfulDrawing(), make: "Apple", model: "iPhone 15")
        let survey = try ImageSurvey.survey(bytes, source: "scan.jpg")
        #expect(survey.content.photo.score < 0.7)
    }

    @Test func photoStatisticsWithoutCameraLeanPhoto() throws {
        let survey = try ImageSurvey.survey(try ImageEncoder.encode(Fixtures.photoLikeNoise(), as: .jpeg), source: "noise.jpg")
        let drawing = try ImageSurvey.survey(try ImageEncoder.encode(Fixtures.colourfulDrawing(), as: .jpeg), source: "bands.jpg")
        #expect(survey.content.photo.score > 0.5)
        #expect(drawing.content.photo.score <= 0.3)
    }

    @Test func transparentPNGHasAlphaAndIsSquare() throws {
        let path = try Fixtures.write(ImageEncoder.encode(Fixtures.transparentSticker(), as: .png), "sticker.png", in: folder)
        let survey = try ImageSurvey.survey(path: path)
        #expect(survey.content.hasAlpha && names(survey).contains("sluice/alpha"))
        #expect(survey.content.aspect == .square)
        let opaque = try ImageSurvey.survey(try ImageEncoder.encode(Fixtures.colourfulDrawing(), as: .png), source: "x.png")
        #expect(!opaque.content.hasAlpha)
    }

    @Test func animatedGIFIsCountedFromItsBlocks() throws {
        let path = try Fixtures.write(Fixtures.animatedGIF(frames: 5), "loop.gif", in: folder)
        let survey = try ImageSurvey.survey(path: path)
        #expect(survey.content.isAnimated && survey.content.frameCount == 5)
        #expect(survey.content.width == 320 && survey.content.height == 240)
        #expect(names(survey).contains("sluice/animated"))
        #expect(survey.perceptualHash == nil && survey.content.pixels == nil && survey.pixelsUnavailable != nil)
        #expect(try ImageSurvey.survey(Fixtures.animatedGIF(frames: 1), source: "still.gif").content.isAnimated == false)
    }

    @Test func animatedWebPIsCountedFromItsFrames() throws {
        let path = try Fixtures.write(try Fixtures.animatedWebP(frames: 3), "loop.webp", in: folder)
        let survey = try ImageSurvey.survey(path: path)
        #expect(survey.content.isAnimated && survey.content.frameCount == 3)
        #expect(survey.content.width == 64 && survey.content.height == 48)
        #expect(names(survey).contains("sluice/animated"))
        let still = try ImageSurvey.survey(try ImageEncoder.encode(Fixtures.colourfulDrawing(), as: .webp), source: "s.webp")
        #expect(!still.content.isAnimated && still.perceptualHash != nil)
    }

    @Test func hashMatchesTheLumaHashPath() throws {
        for (index, format) in ImageFormat.allCases.enumerated() {
            let image = PixelImage.pattern(width: 900 + index * 37, height: 700, seed: UInt64(40 + index))
            let path = try Fixtures.write(ImageEncoder.encode(image, as: format), "p\(index).\(format.fileExtension)", in: folder)
            let survey = try ImageSurvey.survey(path: path)
            let luma = try PerceptualHash.compute(path: path)
            #expect(try #require(survey.perceptualHash).distance(to: luma) <= 2, "\(format)")
        }
    }

    @Test func symbolicLinkIsRefusedNotFollowed() throws {
        let path = try Fixtures.write(ImageEncoder.encode(Fixtures.colourfulDrawing(width: 50, height: 50), as: .png), "a.png", in: folder)
        let link = folder.appendingPathComponent("link.png").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(throws: ImagingError.self) { try ImageSurvey.survey(path: link) }
    }

    @Test func pixelCapRefusesBeforeDecoding() throws {
        let bytes = try ImageEncoder.encode(Fixtures.colourfulDrawing(width: 400, height: 300), as: .png)
        #expect(throws: ImagingError.self) { try ImageSurvey.survey(bytes, source: "big.png", maximumPixels: 100_000) }
    }

    @Test func truncatedImageIsAnErrorNamingTheFile() throws {
        let bytes = try ImageEncoder.encode(Fixtures.photoLikeNoise(width: 300, height: 200), as: .jpeg)
        #expect {
            try ImageSurvey.survey(Array(bytes.prefix(bytes.count / 2)), source: "cut.jpg")
        } throws: { error in
            "\(error)".contains("cut.jpg")
        }
    }
}

@Suite struct AnalysisRuleTests {
    @Test(arguments: [
        (1000, 1000, AspectClass.square), (1050, 1000, .square), (800, 1200, .portrait), (1920, 1080, .landscape),
        (3000, 1000, .wide), (800, 4000, .tallStrip), (2400, 1000, .landscape),
    ])
    func aspectClasses(width: Int, height: Int, expected: AspectClass) {
        #expect(AspectClass(width: width, height: height) == expected)
    }

    @Test func thresholdsComeFromTheConfig() throws {
        let config = try SluiceConfig.parse("analyze:\n  thresholds:\n    strip_ratio: 1.5\n    photo_at: 0.9\n", file: "t.yaml")
        let thresholds = config.analyze.thresholds
        #expect(thresholds.stripRatio == 1.5 && thresholds.photoAt == 0.9)
        #expect(AspectClass(width: 1920, height: 1080, thresholds: thresholds) == .wide)
    }

    @Test func colourfulnessOfGreyIsZeroAndOfPureColourHigh() {
        let grey = PixelImage(width: 4, height: 4, layout: .gray, pixels: Array(repeating: 128, count: 16))
        #expect(PixelFacts(measuring: grey).colourfulness == 0)
        let red = PixelImage(width: 4, height: 4, layout: .rgb, pixels: Array([255, 0, 0].repeated(16)))
        // Pure red: rg = 255, yb = 127.5, no spread: 0.3 · √(255² + 127.5²) ≈ 85.5.
        #expect(abs(PixelFacts(measuring: red).colourfulness - 85.53) < 0.1)
    }

    @Test func brightnessTags() {
        let black = PixelImage(width: 8, height: 8, layout: .gray, pixels: Array(repeating: 5, count: 64))
        let facts = ContentFacts(width: 8, height: 8, frameCount: 1, pixels: PixelFacts(measuring: black), exif: .none)
        #expect(facts.tags.map(\.name).contains("sluice/dark"))
        let white = PixelImage(width: 8, height: 8, layout: .gray, pixels: Array(repeating: 250, count: 64))
        let bright = ContentFacts(width: 8, height: 8, frameCount: 1, pixels: PixelFacts(measuring: white), exif: .none)
        #expect(bright.tags.map(\.name).contains("sluice/bright"))
    }

    @Test func brokenGIFCountsTheFramesItCouldRead() {
        let bytes = Fixtures.animatedGIF(frames: 4)
        let cut = AnimationProbe.probe(Array(bytes.prefix(bytes.count - 20)))
        #expect(cut?.isComplete == false)
        #expect((cut?.frames ?? 0) >= 2)
        #expect(AnimationProbe.probe(Array(repeating: 0xFF, count: 40)) == nil)
    }

    @Test func hostileWebPChunkLengthsEndTheWalk() {
        var bytes = Array("RIFF".utf8) + [0, 0, 0, 0] + Array("WEBP".utf8) + Array("VP8X".utf8) + [10, 0, 0, 0, 0x02] + Array(repeating: 0, count: 9)
        bytes += Array("ANMF".utf8) + [0xFF, 0xFF, 0xFF, 0x7F]
        let animation = AnimationProbe.probe(bytes)
        #expect(animation?.isComplete == false && animation?.frames == 1)
    }
}

extension Array {
    fileprivate func repeated(_ count: Int) -> [Element] { (0..<count).flatMap { _ in self } }
}

