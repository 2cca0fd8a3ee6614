import Foundation
import Glibc
import Jobs
import Pipeline
import Testing

/// Issue 9: a hostile drop (symlinks, shared inodes, huge headers, names a zip cannot hold) never reaches outside
/// the drop, never changes an original, and is named before review.
@Suite struct HostileDropTests {
    static let noRoundTrip = "pipeline.autotag: false\nwatch.settle_ms: 0\nindex.batch_size: 2"

    static func index(_ harness: EngineHarness) throws -> DatasetIndex {
        let job = try harness.onlyJob()
        let folder = JobFolder(JobStore(stateDirectory: harness.layout.state).folder(of: job.id))
        return try JSONDecoder().decode(DatasetIndex.self, from: Data(contentsOf: folder.index))
    }

    static func inode(_ path: String) -> (inode: UInt, links: UInt) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return (0, 0) }
        return (UInt(info.st_ino), UInt(info.st_nlink))
    }

    @Test func symlinksInADropAreLeftOutNamedAndNeverZipped() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let engine = try harness.engine()
            let drop = try harness.drop("mika", images: 3)
            // A private image outside the drop, and links that reach it, /etc/passwd, a caption and the drop itself.
            let outside = harness.layout.root.appendingPathComponent("private.png")
            try TestDatasets.png(width: 40, height: 40, seed: 77).write(to: outside)
            try FileManager.default.createSymbolicLink(atPath: drop.appendingPathComponent("innocent.png").path, withDestinationPath: outside.path)
            try FileManager.default.createSymbolicLink(atPath: drop.appendingPathComponent("passwd.txt").path, withDestinationPath: "/etc/passwd")
            try FileManager.default.createSymbolicLink(atPath: drop.appendingPathComponent("loop").path, withDestinationPath: ".")
            try FileManager.default.createSymbolicLink(atPath: drop.appendingPathComponent("z\nERROR forged.png").path, withDestinationPath: "/etc/hosts")
            try FileManager.default.removeItem(at: drop.appendingPathComponent("img_001.txt"))
            try FileManager.default.createSymbolicLink(atPath: drop.appendingPathComponent("img_001.txt").path, withDestinationPath: "/etc/hostname")
            let config = try harness.config()
            let engineRecursive = try harness.engine(config: { var c = config; c.index.recursive = true; return c }())
            _ = engine
            try engineRecursive.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engineRecursive, harness).last == "WAITING_MANUAL review")

            let index = try Self.index(harness)
            #expect(index.images.map(\.path) == ["img_000.png", "img_001.png", "img_002.png"], "loop -> . multiplies nothing")
            #expect(index.leftOut.map(\.path) == ["img_001.txt", "innocent.png", "loop", "passwd.txt", "z\nERROR forged.png"])
            let log = try harness.onlyJob().log.map(\.message).joined(separator: "\n")
            #expect(log.contains("left out passwd.txt: a symbolic link to /etc/passwd"), "\(log)")
            #expect(log.contains("left out innocent.png: a symbolic link to \(outside.path)"))
            #expect(log.contains("left out z\\nERROR forged.png: a symbolic link to /etc/hosts"), "a newline in a name is escaped")
            #expect(try harness.onlyJob().log.allSatisfy { !$0.message.contains("\n") })
            #expect(!harness.log.text.contains("\nERROR forged"))
            let report = try String(contentsOf: harness.layout.review.appendingPathComponent("mika/REVIEW.md"), encoding: .utf8)
            #expect(report.contains("`loop`: a symbolic link to . (not followed)"), "\(report)")
            let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8)) ?? "\u{0}"
            // The symlinked caption is left out: the image waits in review without one.
            let caption = (try? String(contentsOf: harness.layout.review.appendingPathComponent("mika/img_001.txt"), encoding: .utf8)) ?? ""
            #expect(!caption.contains(hostname.trimmingCharacters(in: .whitespacesAndNewlines)), "a symlinked caption is never read")

            harness.touch("review/mika/RESUME")
            try engineRecursive.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engineRecursive, harness).last == "COMPLETED done")
            let zip = try #require(harness.finalZips().first)
            let names = try ZipInspection.contents(of: zip).keys.sorted()
            #expect(names == ["img_000.png", "img_000.txt", "img_001.png", "img_001.txt", "img_002.png", "img_002.txt"])
        }
    }

    @Test func reviewImagesNeverShareAnInodeWithTheOriginal() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let engine = try harness.engine()
            let drop = try harness.drop("kei", images: 2)
            let original = Self.inode(drop.appendingPathComponent("img_000.png").path)
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "WAITING_MANUAL review")
            let review = Self.inode(harness.layout.review.appendingPathComponent("kei/img_000.png").path)
            #expect(review.inode != 0 && review.inode != original.inode, "the review image is its own file")
            #expect(review.links == 1, "no other name shares the review image's bytes")
        }
    }

    @Test func imagesOverMaxPixelsAndUnzippableNamesAreRefusedAtIndex() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip + "\nindex.max_pixels: 5000")
            defer { harness.remove() }
            let engine = try harness.engine()
            let drop = try harness.drop("huge", images: 2)
            try TestDatasets.png(width: 100, height: 100, seed: 5).write(to: drop.appendingPathComponent("big.png"))
            try TestDatasets.png(width: 30, height: 30, seed: 6).write(to: drop.appendingPathComponent("back\\slash.png"))
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "WAITING_MANUAL review")
            let index = try Self.index(harness)
            #expect(index.images.map(\.path) == ["img_000.png", "img_001.png"])
            #expect(index.unreadable.map(\.path) == ["big.png"])
            #expect(index.unreadable.first?.reason.contains("5000") == true, "\(index.unreadable)")
            #expect(index.leftOut.map(\.path) == ["back\\slash.png"])
            #expect(index.leftOut.first?.reason.contains("cannot go into a zip") == true)
        }
    }

    @Test func startUpSweepsLeftoversAndRemembersExaminedDownloads() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: Self.noRoundTrip)
            defer { harness.remove() }
            let manager = FileManager.default
            let intake = harness.layout.state.appendingPathComponent("intake")
            let scratch = intake.appendingPathComponent("1234567890/a/b")
            try manager.createDirectory(at: scratch, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: scratch.appendingPathComponent("junk.png"))
            let jobs = harness.layout.state.appendingPathComponent("jobs/j1")
            try manager.createDirectory(at: jobs, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: jobs.appendingPathComponent(".sluice-tmp-0123456789abcdef"))
            try Data("x".utf8).write(to: jobs.appendingPathComponent(".job.json.tmp-4242-a1b2c3"))
            try Data("keep".utf8).write(to: jobs.appendingPathComponent("job.json"))
            try Data("x".utf8).write(to: harness.layout.final.appendingPathComponent(".set.zip.partial"))
            try Data("x".utf8).write(to: harness.layout.final.appendingPathComponent("set.zip"))
            let download = harness.layout.downloads.appendingPathComponent("seen.zip")
            try Data("PK".utf8).write(to: download)
            let attributes = try FileManager.default.attributesOfItem(atPath: download.path)
            let key = "\(download.path)|2|\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            try JSONEncoder().encode([key, "/gone/a.zip|1|2"]).write(to: intake.appendingPathComponent("examined.json"))

            let engine = try harness.engine()
            engine.startUp()
            #expect(try manager.contentsOfDirectory(atPath: intake.path) == ["examined.json"])
            #expect(try manager.contentsOfDirectory(atPath: jobs.path) == ["job.json"])
            #expect(try manager.contentsOfDirectory(atPath: harness.layout.final.path) == ["set.zip"])
            #expect(engine.hasExamined(candidateKey: key), "a download examined by an earlier run is remembered")
            #expect(!engine.hasExamined(candidateKey: "/gone/a.zip|1|2"), "a file gone from downloads/ is forgotten")
        }
    }
}
