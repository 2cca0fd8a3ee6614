import Foundation
import Testing

/// `sluice review` and the engine meet only in files: finishing the last image writes RESUME, which `run --once`
/// consumes exactly like a RESUME touched by hand.
@Suite struct ReviewCommandFlowTests {
    @Test func approveAllFromTheReviewCommandThenRunOnceWritesTheFinalZip() async throws {
        let root = try await TestRoot(config: "pipeline.autotag: off\nwatch.settle_ms: 0")
        defer { root.remove() }
        let dataset = try TestDatasets.booru(named: "screen", images: 3, in: root.url.deletingLastPathComponent())
        try FileManager.default.moveItem(at: dataset, to: root.folder("inbox").appendingPathComponent("screen"))
        let first = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(first.status == 0, "\(first.stderr)")
        let review = root.folder("review").appendingPathComponent("screen")
        #expect(FileManager.default.fileExists(atPath: review.appendingPathComponent("REVIEW.md").path))
        // The user's edit in review, which the approval must carry into the zip.
        try "screen \\(edited\\), 1girl, solo".write(to: review.appendingPathComponent("img_001.txt"), atomically: true, encoding: .utf8)

        let approved = try await SluiceProcess.run(["review", "screen", "--approve-all", "--root", root.url.path])
        #expect(approved.status == 0, "\(approved.stdout)\(approved.stderr)")
        #expect(approved.stdout.contains("3 approved; 0 waiting; batch approved (RESUME written)"), "\(approved.stdout)")
        #expect(FileManager.default.fileExists(atPath: review.appendingPathComponent("RESUME").path))
        let again = try await SluiceProcess.run(["review", "--root", root.url.path])
        #expect(again.status != 0 && again.stderr.contains("nothing waits"), "an approved job no longer waits: \(again.stderr)")

        let second = try await SluiceProcess.run(["run", root.url.path, "--once"])
        #expect(second.status == 0, "\(second.stderr)")
        // The engine's job lines on a terminal-style stderr: time, level, [job id], message (SluiceLogging).
        let resumed = second.stderr.split(separator: "\n").first { $0.contains("resumed by review/screen/RESUME") } ?? ""
        #expect(resumed.contains(" INFO ") && resumed.contains("-screen] resumed by"), "\(second.stderr)")
        let zips = root.finalZips()
        #expect(zips.count == 1)
        guard let zip = zips.first else { return }
        #expect(try ZipInspection.unzipTest(zip).ok)
        let entries = try ZipInspection.contents(of: zip)
        #expect(Set(["img_000.png", "img_000.txt", "img_001.png", "img_001.txt", "img_002.png", "img_002.txt"]).isSubset(of: entries.keys))
        #expect(!entries.keys.contains { $0.contains(".sluice") || $0.contains("REVIEW") || $0.contains("RESUME") }, "\(entries.keys.sorted())")
        #expect(String(decoding: entries["img_001.txt"] ?? [], as: UTF8.self).contains("screen \\(edited\\)"), "the edit made in review/ reached the zip")
        #expect(!FileManager.default.fileExists(atPath: review.path), "the review folder was taken back")
    }
}
