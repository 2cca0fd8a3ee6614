import Foundation
import Glibc
import Testing

/// The dataset profile end to end against the real daemon, the real watcher and real folders.
@Suite(.serialized) struct DaemonFlowTests {
    static let quickConfig = "pipeline.autotag: false\nwatch.settle_ms: 300"

    @Test func movedDatasetWaitsInReviewThenResumeWritesTheFinalZip() async throws {
        let root = try await TestRoot(config: Self.quickConfig)
        defer { root.remove() }
        let daemon = try SluiceProcess(["watch", root.url.path])
        defer { daemon.signal(SIGKILL) }

        let dataset = try TestDatasets.booru(named: "mika", images: 4, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("mika"))

        let review = root.folder("review").appendingPathComponent("mika")
        #expect(await eventually(timeout: 60) { FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path) }, "\(daemon.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.folder("inbox").appendingPathComponent("mika").path), "the drop leaves inbox/")
        let caption = try String(contentsOf: review.appendingPathComponent("img_000.txt"), encoding: .utf8)
        #expect(!caption.contains("highres") && !caption.contains("absurdres"), "meta tags removed: \(caption)")
        #expect(!caption.contains("_"), "underscores read as spaces: \(caption)")
        #expect(caption.components(separatedBy: "1girl").count == 2, "duplicate tags removed: \(caption)")

        FileManager.default.createFile(atPath: review.appendingPathComponent("RESUME").path, contents: nil)
        #expect(await eventually(timeout: 60) { root.finalZips().count == 1 }, "\(daemon.stderr)")
        let zip = root.finalZips()[0]
        #expect(zip.lastPathComponent.range(of: #"^mika__final__\d{8}-\d{6}\.zip$"#, options: .regularExpression) != nil)
        let test = try ZipInspection.unzipTest(zip)
        #expect(test.ok, "\(test.output)")
        let names = Set(try ZipInspection.contents(of: zip).keys)
        #expect(names == Set((0..<4).flatMap { ["img_\(String(format: "%03d", $0)).png", "img_\(String(format: "%03d", $0)).txt"] }))
        #expect(FileManager.default.fileExists(atPath: zip.deletingPathExtension().path + ".manifest.json"))
        #expect(await eventually(timeout: 10) { !FileManager.default.fileExists(atPath: review.path) }, "the dataset leaves review/")

        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0, "SIGTERM exits 0: \(daemon.stderr)")
        let status = try await SluiceProcess.run(["status", root.url.path])
        #expect(status.stdout.contains("COMPLETED") && status.stdout.contains(zip.path), "\(status.stdout)")
    }

    @Test func slowCopyIsTakenOnlyOnceItSettles() async throws {
        let root = try await TestRoot(config: "pipeline.autotag: false\nwatch.settle_ms: 800")
        defer { root.remove() }
        let daemon = try SluiceProcess(["watch", root.url.path])
        defer { daemon.signal(SIGKILL) }
        let source = try TestDatasets.booru(named: "slow", images: 6, in: root.url.deletingLastPathComponent())
        defer { try? FileManager.default.removeItem(at: source) }
        let target = root.folder("inbox").appendingPathComponent("slow")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        // Like a slow `cp -r`: one file every 0.4 s over about five seconds, each written in two halves.
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path).sorted() {
            let data = try Data(contentsOf: source.appendingPathComponent(name))
            let handle = try FileHandle(forWritingTo: { FileManager.default.createFile(atPath: target.appendingPathComponent(name).path, contents: nil); return target.appendingPathComponent(name) }())
            handle.write(data.prefix(data.count / 2))
            try await Task.sleep(for: .milliseconds(200))
            handle.write(data.dropFirst(data.count / 2))
            try handle.close()
            try await Task.sleep(for: .milliseconds(200))
            #expect(root.jobCount() == 0, "no job before the copy settles")
        }
        let review = root.folder("review").appendingPathComponent("slow")
        #expect(await eventually(timeout: 60) { FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path) }, "\(daemon.stderr)")
        let images = try FileManager.default.contentsOfDirectory(atPath: review.path).filter { $0.hasSuffix(".png") }
        #expect(images.count == 6, "the whole dataset, not a partial one")
        #expect(root.jobCount() == 1)
    }

    @Test func movingReviewFolderToReviewedContinuesAndEditsSurvive() async throws {
        let root = try await TestRoot(config: Self.quickConfig)
        defer { root.remove() }
        let daemon = try SluiceProcess(["watch", root.url.path])
        defer { daemon.signal(SIGKILL) }
        let dataset = try TestDatasets.booru(named: "edited", images: 3, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("edited"))
        let review = root.folder("review").appendingPathComponent("edited")
        #expect(await eventually(timeout: 60) { FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path) }, "\(daemon.stderr)")

        let edited = "mika \\(blue archive\\), 1girl, smile, smile, , halo"
        try edited.write(to: review.appendingPathComponent("img_001.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.moveItem(at: review, to: root.folder("reviewed").appendingPathComponent("edited"))

        #expect(await eventually(timeout: 60) { root.finalZips().count == 1 }, "\(daemon.stderr)")
        let entries = try ZipInspection.contents(of: root.finalZips()[0])
        let caption = String(decoding: entries["img_001.txt"] ?? [], as: UTF8.self)
        #expect(caption.contains("1girl") && caption.contains("halo"), "the user's edit is kept: \(caption)")
        #expect(caption.components(separatedBy: "smile").count == 2, "final cleanup dedups: \(caption)")
        #expect(!caption.contains(", ,"), "final cleanup drops empty tags: \(caption)")
        #expect(await eventually(timeout: 10) { (try? FileManager.default.contentsOfDirectory(atPath: root.folder("reviewed").path))?.isEmpty == true }, "the dataset leaves reviewed/")
        #expect(root.jobCount() == 1)
    }

    @Test func secondDaemonOnTheSameRootExitsNamingThePid() async throws {
        let root = try await TestRoot(config: Self.quickConfig)
        defer { root.remove() }
        let first = try SluiceProcess(["watch", root.url.path])
        defer { first.signal(SIGKILL) }
        #expect(await eventually(timeout: 20) { first.stderr.contains("watching") })
        let second = try await SluiceProcess.run(["watch", root.url.path], timeout: 30)
        #expect(second.status != 0)
        #expect(second.stderr.contains("\(first.process.processIdentifier)"), "\(second.stderr)")
    }

    @Test func fiveThousandImagesDroppedAtOnceAreAllIndexed() async throws {
        let root = try await TestRoot(config: Self.quickConfig + "\npipeline.auto_approve_review: true")
        defer { root.remove() }
        let daemon = try SluiceProcess(["watch", root.url.path])
        defer { daemon.signal(SIGKILL) }
        let dataset = try TestDatasets.many(named: "big", images: 5000, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("big"))
        #expect(await eventually(timeout: 600, every: 0.5) { root.finalZips().count == 1 }, "\(daemon.stderr.suffix(2000))")
        guard let zip = root.finalZips().first else { return }
        let entries = try ZipInspection.contents(of: zip)
        #expect(entries.keys.filter { $0.hasSuffix(".png") }.count == 5000)
        #expect(entries.keys.filter { $0.hasSuffix(".txt") }.count == 5000)
        #expect(try ZipInspection.unzipTest(zip).ok)
    }
}

@Suite struct DaemonSignalTests {
    @Test func sighupReloadsTheConfigAndABrokenOneIsReportedNotFatal() async throws {
        let root = try await TestRoot(config: "pipeline.autotag: false\nwatch.settle_ms: 300")
        defer { root.remove() }
        let daemon = try SluiceProcess(["watch", root.url.path])
        defer { daemon.signal(SIGKILL) }
        #expect(await eventually(timeout: 20) { daemon.stderr.contains("watching") })
        let config = root.url.appendingPathComponent("sluice.yaml")
        var text = try String(contentsOf: config, encoding: .utf8)
        text = TestRoot.apply("final.layout: kohya", to: text)
        try text.write(to: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await eventually(timeout: 20) { daemon.stderr.contains("\(config.path): reloaded") }, "\(daemon.stderr)")
        try (text + "\nbogus_key: 1\n").write(to: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        #expect(await eventually(timeout: 20) { daemon.stderr.contains("unknown key 'bogus_key'") }, "\(daemon.stderr)")
        #expect(daemon.process.isRunning, "a broken config on reload keeps the previous one")
        // The reloaded layout applies to a new job.
        try text.write(to: config, atomically: true, encoding: .utf8)
        daemon.signal(SIGHUP)
        let dataset = try TestDatasets.booru(named: "hup", images: 2, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("hup"))
        let review = root.folder("review").appendingPathComponent("hup")
        #expect(await eventually(timeout: 60) { FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path) })
        FileManager.default.createFile(atPath: review.appendingPathComponent("RESUME").path, contents: nil)
        #expect(await eventually(timeout: 60) { root.finalZips().count == 1 })
        let names = try ZipInspection.contents(of: try #require(root.finalZips().first)).keys
        #expect(names.allSatisfy { $0.hasPrefix("10_hup/") }, "\(names.sorted())")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0)
    }
}
