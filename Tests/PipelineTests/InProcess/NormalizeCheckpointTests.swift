import Foundation
@testable import Pipeline
import Testing

/// Step F's progress record: a restart continues only from a record that fits the step's inputs exactly.
@Suite struct NormalizeCheckpointTests {
    static func image(_ name: String, size: Int = 10) -> DatasetIndex.Image {
        DatasetIndex.Image(path: name, sha256: String(repeating: "a", count: 64), size: size, width: 2, height: 2, format: "png", perceptualHash: nil)
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-normalize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("captions"), withIntermediateDirectories: true)
        return folder
    }

    static func inputs(_ folder: URL, preset: String = "{}", clones: Bool = true, images: [DatasetIndex.Image]? = nil) -> NormalizeCheckpoint.Inputs {
        NormalizeCheckpoint.inputs(
            captionFolder: folder.appendingPathComponent("captions"), resolvedPreset: preset, clonesImages: clones,
            images: images ?? [image("a.png"), image("b.png")], captionCount: 2)
    }

    @Test func aRecordThatFitsResumesAndAnyChangedInputStartsOver() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = NormalizeCheckpoint(url: folder.appendingPathComponent("normalize.progress.json"))
        let inputs = Self.inputs(folder)
        #expect(checkpoint.start(for: inputs, stagingExists: false) == .fresh)
        #expect(checkpoint.start(for: inputs, stagingExists: true) == .startOver("its staging folder has no progress record"))

        let progress = NormalizeCheckpoint.Progress(inputs: inputs, imagesStaged: 2, captionsWritten: 1)
        try checkpoint.save(progress, syncingFirst: [folder.path], flushingData: true)
        #expect(checkpoint.start(for: inputs, stagingExists: true) == .resume(progress))
        #expect(checkpoint.start(for: inputs, stagingExists: false) == .startOver("its progress record has no staging folder"))
        #expect(checkpoint.start(for: Self.inputs(folder, preset: "{\"x\":1}"), stagingExists: true) == .startOver("the preset changed since it was interrupted"))
        #expect(checkpoint.start(for: Self.inputs(folder, clones: false), stagingExists: true)
            == .startOver("the way images are staged (review auto-approval) changed since it was interrupted"))
        #expect(checkpoint.start(for: Self.inputs(folder, images: [Self.image("a.png"), Self.image("b.png", size: 11)]), stagingExists: true)
            == .startOver("the image list changed since it was interrupted"))

        // A caption folder replaced whole (as captions-from-result/ is) is another folder, even under the same name.
        let captions = folder.appendingPathComponent("captions")
        try FileManager.default.moveItem(at: captions, to: folder.appendingPathComponent("old"))
        try FileManager.default.createDirectory(at: captions, withIntermediateDirectories: true)
        #expect(checkpoint.start(for: Self.inputs(folder), stagingExists: true) == .startOver("the caption folder changed since it was interrupted"))

        try Data("{\"inputs\":".utf8).write(to: checkpoint.url)
        #expect(checkpoint.start(for: inputs, stagingExists: true) == .startOver("its progress record \(checkpoint.url.path) does not read"))
        checkpoint.remove()
        #expect(!FileManager.default.fileExists(atPath: checkpoint.url.path))
    }

    @Test func aRecordCountingMoreThanThereIsStartsOver() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = NormalizeCheckpoint(url: folder.appendingPathComponent("normalize.progress.json"))
        let inputs = Self.inputs(folder)
        try checkpoint.save(NormalizeCheckpoint.Progress(inputs: inputs, imagesStaged: 1, captionsWritten: 1), syncingFirst: [], flushingData: false)
        #expect(checkpoint.start(for: inputs, stagingExists: true) == .startOver("its progress record counts more than there is"))
    }

    @Test func aCloneOverAFileAnInterruptedRunLeftIsMadeWholeAgain() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source.png")
        try Data((0..<5_000).map { UInt8($0 % 251) }).write(to: source)
        let staging = folder.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("torn".utf8).write(to: staging.appendingPathComponent("sub/a.png"))
        var writer = StagingWriter(root: staging)
        try writer.clone(source, as: "sub/a.png")
        try writer.link(source, as: "deep/er/b.png")
        #expect(try Data(contentsOf: staging.appendingPathComponent("sub/a.png")) == Data(contentsOf: source))
        let unsynced = writer.takeUnsynced()
        #expect(unsynced.copiedData, "a clone copies data that needs a flush")
        #expect(unsynced.folders.isSuperset(of: [staging.path + "/sub", staging.path + "/deep/er", staging.path + "/deep", staging.path, folder.path]),
            "the new folders' entries up to the staging folder's own: \(unsynced.folders.sorted())")
        #expect(writer.takeUnsynced().folders.isEmpty, "taken once")
    }
}
