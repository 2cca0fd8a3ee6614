import Foundation
import Glibc
import Testing

/// Step F killed after a recorded batch: the restart keeps the finished batches' files (same inodes), redoes only the
/// rest, and gives what a run without the kill gives; a changed preset starts it over.
@Suite struct NormalizeResumeTests {
    static let config = "pipeline.autotag: false\nwatch.settle_ms: 0"
    /// Batches of two (the step's test hook), so five images make several batches.
    static let smallBatches = ["SLUICE_NORMALIZE_BATCH": "2"]

    /// What a run leaves to compare: the review folder's images and captions, the backups, the fingerprints, the zip.
    struct Outcome: Equatable {
        var reviewed: [String: Data] = [:]
        var backups: [String: Data] = [:]
        var fingerprints = Data()
        var zip: [String: [UInt8]] = [:]
    }

    /// A root with the 5-image dataset in its inbox.
    static func root() async throws -> TestRoot {
        let root = try await TestRoot(config: config)
        let dataset = try TestDatasets.booru(named: "resume", images: 5, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("resume"))
        return root
    }

    static func runOnce(_ root: TestRoot, environment: [String: String] = smallBatches) async throws
        -> (status: Int32, stdout: String, stderr: String, killed: Bool)
    {
        try await SluiceProcess.run(["run", root.url.path, "--once"], environment: environment)
    }

    static func jobFolder(_ root: TestRoot) throws -> URL {
        let jobs = root.folder(".sluice/jobs")
        let names = try FileManager.default.contentsOfDirectory(atPath: jobs.path).filter { !$0.hasPrefix(".") }
        guard names.count == 1 else { throw TestFailure("expected one job, found \(names)") }
        return jobs.appendingPathComponent(names[0], isDirectory: true)
    }

    /// Every file under `folder` (relative path → bytes) whose name passes `keep`.
    static func files(under folder: URL, keep: (String) -> Bool = { _ in true }) throws -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let relative = String(url.path.dropFirst(folder.path.count + 1))
            if keep(relative) { files[relative] = try Data(contentsOf: url) }
        }
        return files
    }

    static func inode(_ url: URL) -> UInt64? {
        var info = stat()
        return lstat(url.path, &info) == 0 ? UInt64(info.st_ino) : nil
    }

    static func jobLog(_ root: TestRoot) throws -> String {
        try String(contentsOf: try jobFolder(root).appendingPathComponent("job.json"), encoding: .utf8)
    }

    /// Takes the outcome at review, approves, runs to the final zip and adds it.
    static func finish(_ root: TestRoot) async throws -> Outcome {
        let review = root.folder("review").appendingPathComponent("resume")
        let job = try jobFolder(root)
        var outcome = Outcome()
        outcome.reviewed = try files(under: review) { $0.hasSuffix(".png") || $0.hasSuffix(".txt") }
        outcome.backups = try files(under: job.appendingPathComponent("backups/normalize"))
        outcome.fingerprints = try Data(contentsOf: job.appendingPathComponent("normalized-captions.json"))
        FileManager.default.createFile(atPath: review.appendingPathComponent("RESUME").path, contents: nil)
        let done = try await runOnce(root)
        #expect(done.status == 0, "\(done.stderr)")
        let zip = try #require(root.finalZips().first)
        #expect(try ZipInspection.unzipTest(zip).ok)
        outcome.zip = try ZipInspection.contents(of: zip)
        return outcome
    }

    @Test func killAfterABatchKeepsItsFilesAndRedoesOnlyTheRest() async throws {
        let reference = try await Self.root()
        defer { reference.remove() }
        let plain = try await Self.runOnce(reference)
        #expect(plain.status == 0, "\(plain.stderr)")
        let expected = try await Self.finish(reference)
        #expect(!expected.backups.isEmpty, "normalization changed captions, so there are backups to compare")

        let root = try await Self.root()
        defer { root.remove() }
        let killed = try await Self.runOnce(root, environment: Self.smallBatches.merging(["SLUICE_CRASH_AT": "normalize:batch"]) { $1 })
        #expect(killed.killed, "the fault fired")
        let job = try Self.jobFolder(root)
        let staging = job.appendingPathComponent("work/normalized.staging")
        let record = try String(contentsOf: job.appendingPathComponent("normalize.progress.json"), encoding: .utf8)
        #expect(record.contains("\"captionsWritten\":2") && record.contains("\"imagesStaged\":5"), "\(record)")
        let firstBatch = ["img_000.txt", "img_001.txt"]
        let images = (0..<5).map { String(format: "img_%03d.png", $0) }
        var kept: [(String, UInt64)] = []
        for name in firstBatch + images {
            kept.append((name, try #require(Self.inode(staging.appendingPathComponent(name)), "\(name) is staged")))
        }
        #expect(Self.inode(staging.appendingPathComponent("img_002.txt")) == nil, "the kill came right after the first batch")

        let restarted = try await Self.runOnce(root)
        #expect(restarted.status == 0, "\(restarted.stderr)")
        let review = root.folder("review").appendingPathComponent("resume")
        for (name, inode) in kept {
            #expect(Self.inode(review.appendingPathComponent(name)) == inode, "\(name) was kept, not written again")
        }
        let keptInodes = Set(kept.map(\.1))
        for name in ["img_002.txt", "img_003.txt", "img_004.txt"] {
            let inode = Self.inode(review.appendingPathComponent(name))
            #expect(inode != nil && !keptInodes.contains(inode!), "\(name) was written by the restart")
        }
        #expect(try Self.jobLog(root).contains("resumed normalize at 2 of 5 captions (5 of 5 images already staged)"))
        #expect(!FileManager.default.fileExists(atPath: job.appendingPathComponent("normalize.progress.json").path), "removed once published")
        let recovered = try await Self.finish(root)
        #expect(recovered == expected, "the same folder, backups, fingerprints and zip as a run without the kill")
    }

    @Test func killDuringImagesResumesAfterTheRecordedImageBatch() async throws {
        let root = try await Self.root()
        defer { root.remove() }
        let killed = try await Self.runOnce(root, environment: Self.smallBatches.merging(["SLUICE_CRASH_AT": "normalize:images"]) { $1 })
        #expect(killed.killed, "the fault fired")
        let staging = try Self.jobFolder(root).appendingPathComponent("work/normalized.staging")
        let first = try #require(Self.inode(staging.appendingPathComponent("img_000.png")))
        // A copy the kill tore in the batch in flight: never trusted, made again whole.
        try Data("torn".utf8).write(to: staging.appendingPathComponent("img_002.png"))
        let restarted = try await Self.runOnce(root, environment: [:])
        #expect(restarted.status == 0, "\(restarted.stderr)")
        #expect(try Self.jobLog(root).contains("resumed normalize at 0 of 5 captions (2 of 5 images already staged)"))
        let review = root.folder("review").appendingPathComponent("resume")
        #expect(Self.inode(review.appendingPathComponent("img_000.png")) == first)
        let source = try Self.jobFolder(root).appendingPathComponent("source/img_002.png")
        #expect(try Data(contentsOf: review.appendingPathComponent("img_002.png")) == Data(contentsOf: source))
    }

    @Test func aPresetChangedAfterTheKillStartsOver() async throws {
        let root = try await Self.root()
        defer { root.remove() }
        let killed = try await Self.runOnce(root, environment: Self.smallBatches.merging(["SLUICE_CRASH_AT": "normalize:batch"]) { $1 })
        #expect(killed.killed, "the fault fired")
        let job = try Self.jobFolder(root)
        let staged = try String(contentsOf: job.appendingPathComponent("work/normalized.staging/img_000.txt"), encoding: .utf8)
        #expect(!staged.contains("newstyle"))
        // What a reload with another preset does to a job not past normalization: its frozen preset is replaced.
        let presetFile = job.appendingPathComponent("preset.json")
        let preset = try String(contentsOf: presetFile, encoding: .utf8)
        let changed = preset.replacingOccurrences(of: #""trigger_word"\s*:\s*null"#, with: "\"trigger_word\" : \"newstyle\"", options: .regularExpression)
        #expect(changed != preset)
        try changed.write(to: presetFile, atomically: true, encoding: .utf8)

        let restarted = try await Self.runOnce(root)
        #expect(restarted.status == 0, "\(restarted.stderr)")
        #expect(try Self.jobLog(root).contains("normalize starts over: the preset changed since it was interrupted"))
        let review = root.folder("review").appendingPathComponent("resume")
        // Every caption, the first batch's too, is written again with the new preset.
        let captions = try Self.files(under: review) { $0.hasSuffix(".txt") }
        #expect(captions.count == 5 && captions.values.allSatisfy { String(decoding: $0, as: UTF8.self).contains("newstyle") }, "\(captions)")
    }
}
