import Foundation
import Testing
@testable import TagNormalization

@Suite struct FolderNormalizationTests {
    /// A dataset with nested captions, an orphan `.txt`, and a dot folder that must be left alone.
    static func makeDataset(_ folder: TemporaryFolder) throws {
        try folder.write("a.png", "")
        try folder.write("a.txt", "highres, smile, 1girl")
        try folder.write("sub/b.JPG", "")
        try folder.write("sub/b.txt", "1girl, smile")
        try folder.write("sub/c.webp", "")
        try folder.write("sub/c.txt", [0xEF, 0xBB, 0xBF] + Array("1girl, smile\r\n".utf8))
        try folder.write("notes.txt", "highres, not a caption")
        try folder.write(".hidden/d.png", "")
        try folder.write(".hidden/d.txt", "highres")
    }

    @Test func changedCaptionsAreBackedUpThenRewritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try Self.makeDataset(folder)
        let backups = folder.url.appendingPathComponent(".sluice-backups/20260101-000000")
        let report = try DatasetNormalizer(preset: try rulesPreset())
            .normalizeFolder(at: folder.url, backupDirectory: backups, dryRun: false)

        #expect(report.captionCount == 3)
        #expect(report.filesChanged == 2)
        #expect(report.skippedFiles == ["notes.txt"])
        #expect(report.backupDirectory == backups.path)
        #expect(try folder.read("a.txt") == "1girl, smile")
        #expect(try folder.read("sub/c.txt") == "1girl, smile")
        #expect(try folder.read("sub/b.txt") == "1girl, smile")
        #expect(try folder.read(".sluice-backups/20260101-000000/a.txt") == "highres, smile, 1girl")
        #expect(try Data(contentsOf: backups.appendingPathComponent("sub/c.txt")).starts(with: [0xEF, 0xBB, 0xBF]))
        #expect(!folder.exists(".sluice-backups/20260101-000000/sub/b.txt"), "unchanged captions need no backup")
        #expect(try folder.read("notes.txt") == "highres, not a caption")
        #expect(try folder.read(".hidden/d.txt") == "highres")

        let again = try DatasetNormalizer(preset: try rulesPreset())
            .normalizeFolder(at: folder.url, backupDirectory: folder.url.appendingPathComponent(".sluice-backups/second"), dryRun: false)
        #expect(again.filesChanged == 0)
        #expect(!folder.exists(".sluice-backups/second"))
    }

    /// After an interrupted run the backup folder already holds the true original; a second run must keep it.
    @Test func anExistingBackupIsNeverOverwritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("a.png", "")
        try folder.write("a.txt", "highres, 1girl, smile")
        try folder.write(".sluice-backups/run/a.txt", "older original")
        let report = try DatasetNormalizer(preset: try rulesPreset())
            .normalizeFolder(at: folder.url, backupDirectory: folder.url.appendingPathComponent(".sluice-backups/run"), dryRun: false)
        #expect(report.filesChanged == 1)
        #expect(try folder.read("a.txt") == "1girl, smile")
        #expect(try folder.read(".sluice-backups/run/a.txt") == "older original")
    }

    @Test func backupsSurviveLaterEditsOfTheCaption() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("a.png", "")
        try folder.write("a.txt", "highres, 1girl")
        _ = try DatasetNormalizer(preset: try rulesPreset())
            .normalizeFolder(at: folder.url, backupDirectory: folder.url.appendingPathComponent(".b"), dryRun: false)
        // An editor that rewrites the caption in place must not reach the backup.
        let handle = try FileHandle(forWritingTo: folder.url.appendingPathComponent("a.txt"))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data("edited".utf8))
        try handle.close()
        #expect(try folder.read(".b/a.txt") == "highres, 1girl")
    }

    @Test func dryRunWritesNothing() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try Self.makeDataset(folder)
        let backups = folder.url.appendingPathComponent(".sluice-backups/x")
        let report = try DatasetNormalizer(preset: try rulesPreset())
            .normalizeFolder(at: folder.url, backupDirectory: backups, dryRun: true)
        #expect(report.filesChanged == 2)
        #expect(report.isDryRun && report.backupDirectory == nil)
        #expect(try folder.read("a.txt") == "highres, smile, 1girl")
        #expect(!folder.exists(".sluice-backups"))
        #expect(report.previewText().contains("a.txt\n  before: highres, smile, 1girl\n  after:  1girl, smile"))
    }

    @Test func nonUTF8CaptionNamesTheFileAndNothingIsRewritten() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try Self.makeDataset(folder)
        try folder.write("z/bad.png", "")
        try folder.write("z/bad.txt", Array("1girl, ".utf8) + [0xC3, 0x28] + Array(", smile".utf8))
        let error = #expect(throws: CaptionReadError.self) {
            try DatasetNormalizer(preset: try rulesPreset())
                .normalizeFolder(at: folder.url, backupDirectory: folder.url.appendingPathComponent(".sluice-backups/x"), dryRun: false)
        }
        #expect(error == .notUTF8(path: folder.url.appendingPathComponent("z/bad.txt").path, byteOffset: 7))
        #expect(try folder.read("a.txt") == "highres, smile, 1girl")
        #expect(!folder.exists(".sluice-backups"))
    }

    @Test func largeDatasetsAreSplitAcrossWorkersWithTheSameResult() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        var captions: [String: String] = [:]
        for index in 0..<600 {
            let text = index % 50 == 0 ? "highres, smile, 1girl, tree" : "1girl, smile, #optional, power lines"
            try folder.write("\(index / 200)/\(index).png", "")
            try folder.write("\(index / 200)/\(index).txt", text)
            captions["\(index / 200)/\(index).txt"] = text
        }
        let preset = try rulesPreset { $0.background.minSharePercent = 5 }
        let report = try DatasetNormalizer(preset: preset)
            .normalizeFolder(at: folder.url, backupDirectory: folder.url.appendingPathComponent(".b"), dryRun: false)
        let expected = DatasetNormalizer(preset: preset).normalize(captions)
        #expect(report == { var r = expected.report; r.backupDirectory = folder.url.appendingPathComponent(".b").path; return r }())
        for (path, text) in expected.texts { #expect(try folder.read(path) == text) }
        #expect(try folder.read("0/0.txt") == "1girl, smile, #optional, tree")
    }

    @Test func streamedBatchesGiveTheWholeDatasetsResultAndSkipMissingCaptions() throws {
        var captions: [String: String] = [:]
        for index in 0..<600 {
            captions[String(format: "%04d.txt", index)] = index % 50 == 0 ? "highres, smile, 1girl, tree" : "1girl, smile, #optional, power lines"
        }
        let paths = (captions.keys.sorted() + ["missing.txt"]).sorted()
        let preset = try rulesPreset { $0.background.minSharePercent = 5 }
        var normalizer = DatasetNormalizer(preset: preset)
        normalizer.folderBatchSize = 64
        var written: [NormalizedCaption] = []
        var batches = 0
        let report = try normalizer.normalizeCaptions(
            paths: paths,
            read: { slice in slice.map { path in captions[path].map { (data: Data($0.utf8), text: $0) } } },
            write: { batch in
                batches += 1
                written.append(contentsOf: batch)
            })
        let expected = DatasetNormalizer(preset: preset).normalize(captions)
        #expect(report == expected.report)
        #expect(batches == 10, "600 captions and one missing, 64 at a time")
        #expect(written.map(\.path) == captions.keys.sorted(), "every present caption once, in order")
        for caption in written {
            #expect(caption.original == Data(captions[caption.path]!.utf8))
            #expect(String(decoding: caption.normalizedBytes, as: UTF8.self) == expected.texts[caption.path])
            #expect((caption.changedText != nil) == expected.changes.contains { $0.path == caption.path })
        }
        #expect(written.contains { $0.changedText == nil } && written.contains { $0.changedText != nil })
    }
}
