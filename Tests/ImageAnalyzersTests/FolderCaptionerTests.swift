import ContentAnalysis
import Foundation
import Imaging
import Testing

@testable import ImageAnalyzers

@Suite final class FolderCaptionerTests {
    let folder: URL

    deinit { try? FileManager.default.removeItem(at: folder) }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-captioner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("dataset/sub"), withIntermediateDirectories: true)
    }

    func makeImage(_ relative: String, seed: UInt64) throws {
        let format: ImageFormat = relative.hasSuffix(".png") ? .png : relative.hasSuffix(".webp") ? .webp : .jpeg
        try ImageEncoder.write(PixelImage.pattern(width: 120, height: 90, seed: seed), as: format, to: folder.appendingPathComponent("dataset/" + relative).path)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(relative), encoding: .utf8)
    }

    @Test func captionsEveryImageBacksUpTheUsersCaptionOnceAndReportsFailures() async throws {
        try makeImage("a.png", seed: 1)
        try makeImage("sub/b.JPG", seed: 2)
        try makeImage("unreadable.webp", seed: 3)
        try "user caption, keep me".write(to: folder.appendingPathComponent("dataset/a.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("dataset/link.png").path, withDestinationPath: folder.appendingPathComponent("dataset/a.png").path)
        let command = try AnalyzerScripts.command(AnalyzerScripts.good, named: "good", in: folder)
        let analyzers = AnalyzerSet([AnalyzerCommand(name: "good", arguments: command)], minimumConfidence: 0.3)
        let captioner = FolderCaptioner(analyzers: analyzers, backupDirectory: folder.appendingPathComponent("backups"))

        let report = try await captioner.caption(folder: folder.appendingPathComponent("dataset"))
        #expect(report.captioned == ["a.png", "sub/b.JPG"])
        #expect(report.notCaptioned.map(\.image) == ["unreadable.webp"])
        #expect(report.notCaptioned.first?.reason.contains("cannot read unreadable") == true)
        #expect(report.backedUp == ["a.txt"])
        #expect(try read("dataset/a.txt") == "tester, from a\n")
        #expect(try read("dataset/sub/b.txt") == "tester, from b\n")
        #expect(try read("backups/a.txt") == "user caption, keep me")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("dataset/unreadable.txt").path))

        // Run again (as after a kill): same captions, and the backup still holds the user's own caption.
        let again = try await captioner.caption(folder: folder.appendingPathComponent("dataset"))
        #expect(again.captioned == report.captioned && again.backedUp.isEmpty)
        #expect(try read("backups/a.txt") == "user caption, keep me")
        await analyzers.shutdown()
    }

    @Test func captionOrdersCategoriesThenConfidenceAndDropsRatingsAndDuplicates() {
        let tags = [
            AnalysisTag(category: "general", name: "smile", confidence: 0.7),
            AnalysisTag(category: "rating", name: "general", confidence: 0.9),
            AnalysisTag(category: "general", name: "1girl", confidence: 0.99),
            AnalysisTag(category: "copyright", name: "vocaloid", confidence: 0.9),
            AnalysisTag(category: "character", name: "hatsune miku", confidence: 0.88),
            AnalysisTag(category: "general", name: "smile", confidence: 0.5),
            AnalysisTag(category: "meta", name: "highres", confidence: 0.8),
        ]
        #expect(FolderCaptioner.caption(from: tags) == "hatsune miku, vocaloid, 1girl, smile, highres")
    }

    @Test func noAnalyzerMeansNothingIsCaptioned() async throws {
        try makeImage("a.png", seed: 1)
        let captioner = FolderCaptioner(analyzers: AnalyzerSet([]), backupDirectory: folder.appendingPathComponent("backups"))
        let report = try await captioner.caption(folder: folder.appendingPathComponent("dataset"))
        #expect(report.captioned.isEmpty && report.notCaptioned.map(\.reason) == ["no analyzer is configured"])
    }
}
