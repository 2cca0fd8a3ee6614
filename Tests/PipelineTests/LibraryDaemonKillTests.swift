import Foundation
import Glibc
import Jobs
import Testing

/// The library profile through the real daemon, killed with SIGKILL at points across the stages (before and after
/// the user's review), then restarted: the same final/ tree, each answered lookup asked once, no review edit lost.
@Suite(.serialized) struct LibraryDaemonKillTests {
    /// Four images by MD5, four by SauceNAO, four found nowhere (they wait in review), in batches of four.
    static let counts: [(LibraryScenario.Kind, Int)] = [(.md5, 4), (.saucenao, 4), (.unknown, 4)]

    /// Every file under final/ with its bytes; sidecars without the processed marker's date.
    static func tree(_ root: URL) throws -> [String: Data] {
        let base = root.appendingPathComponent("final").path
        var result: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: base)?.allObjects ?? [] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: base + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            var data = try Data(contentsOf: URL(fileURLWithPath: base + "/" + path))
            if path.hasSuffix(".xmp") {
                // Each run has its own fakes: the source URLs differ by port.
                let text = String(decoding: data, as: UTF8.self).replacing(/<sluice:ProcessedDate>[^<]*<\/sluice:ProcessedDate>/, with: "DATE")
                data = Data(text.replacing(/127\.0\.0\.1:\d+/, with: "FAKES").utf8)
            }
            result[path] = data
        }
        return result
    }

    /// Runs the scenario through the daemon until the job completes, restarting the daemon whenever it dies; the
    /// first daemon gets `crashAt`. The review batch is edited (one image's tags, one rejection) and approved.
    static func runToCompletion(crashAt: String?) async throws -> (tree: [String: Data], answered: [String: Int], restarts: Int, reviewed: Bool) {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-libk-drop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: staging) }
        let scenario = try LibraryScenario(writingInto: staging.appendingPathComponent("dump"), counts: counts)
        let root = try await LibraryDaemonTests.libraryRoot(scenario, batchSize: 4)
        defer { try? FileManager.default.removeItem(at: root) }
        var daemon = try SluiceProcess(["watch", root.path], environment: crashAt.map { ["SLUICE_LIBRARY_CRASH_AT": $0] } ?? [:])
        defer { daemon.signal(SIGKILL) }
        #expect(await eventually(timeout: 60) { daemon.stderr.contains("watching") }, "\(daemon.stderr)")
        try FileManager.default.moveItem(at: staging.appendingPathComponent("dump"), to: root.appendingPathComponent("inbox/dump"))
        var restarts = 0
        var reviewed = false
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            if LibraryDaemonTests.job(root)?.status == .completed { break }
            if !daemon.process.isRunning {
                _ = await daemon.waitForExit(timeout: 5)
                daemon = try SluiceProcess(["watch", root.path])
                restarts += 1
            }
            // A kill while batch 1 is scanned moves later images into other batches: the review is by image name.
            for batch in LibraryDaemonTests.waitingBatches(root) where !FileManager.default.fileExists(atPath: batch.appendingPathComponent("RESUME").path) {
                let edited = batch.appendingPathComponent("unknown-0.jpg.tags.txt"), rejected = batch.appendingPathComponent("unknown-1.png.tags.txt")
                if FileManager.default.fileExists(atPath: edited.path) {
                    try "character:kagamine_len\nrating:general\n".write(to: edited, atomically: true, encoding: .utf8)
                    reviewed = true
                }
                if FileManager.default.fileExists(atPath: rejected.path) { try FileManager.default.removeItem(at: rejected) }
                _ = FileManager.default.createFile(atPath: batch.appendingPathComponent("RESUME").path, contents: nil)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(LibraryDaemonTests.job(root)?.status == .completed, "\(crashAt ?? "reference"): \(daemon.stderr)")
        daemon.signal(SIGTERM)
        _ = await daemon.waitForExit(timeout: 30)
        return (try tree(root), scenario.answered.withLock { $0 }, restarts, reviewed)
    }

    /// Eight points: scanning, looking up, making the review folder, and after the review (sidecars, placing files).
    static let points = [
        "scanned:3", "looked-up:2", "looked-up:7", "review-folder-made:1", "sidecar-written:2", "sidecar-written:10",
        "organize-image-placed:10", "organized:11",
    ]

    @Test func killedAtEightPointsThenRestartedGivesTheSameFinalTree() async throws {
        let reference = try await Self.runToCompletion(crashAt: nil)
        #expect(reference.tree.count == 24 && reference.restarts == 0 && reference.reviewed)
        #expect(reference.tree.keys.contains { $0.hasPrefix("Characters/kagamine len/") }, "the review edit reached final/")
        for point in Self.points {
            let killed = try await Self.runToCompletion(crashAt: point)
            #expect(killed.restarts == 1, "\(point): the daemon was killed once")
            let differing = Set(killed.tree.keys).union(reference.tree.keys).filter { killed.tree[$0] != reference.tree[$0] }.sorted()
            #expect(killed.tree == reference.tree, "\(point): \(differing)")
            #expect(killed.answered.values.allSatisfy { $0 == 1 }, "\(point): asked twice: \(killed.answered.filter { $0.value > 1 })")
        }
    }
}
