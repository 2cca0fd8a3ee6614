import Foundation
import Hashing
import Jobs
@testable import Pipeline
import Testing

/// The batched writes and live figures of the long steps: checkpoints that append, manifests from the zip writer's
/// digests, and the progress file `sluice status` reads.
@Suite struct BatchedStepTests {
    static func image(_ name: String) -> DatasetIndex.Image {
        DatasetIndex.Image(path: name, sha256: String(repeating: "a", count: 64), size: 10, width: 2, height: 2, format: "png", perceptualHash: nil)
    }

    @Test func indexCheckpointKeepsWholeLinesAndCutsATornOne() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-checkpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = IndexCheckpoint(url: folder.appendingPathComponent("index.partial.jsonl"))
        try checkpoint.append(images: [Self.image("a.png"), Self.image("b.png")], unreadable: [])
        try checkpoint.append(images: [], unreadable: [DatasetIndex.Unreadable(path: "c.png", reason: "broken")])
        // A kill in the middle of the next append: part of a line reached the file.
        let handle = try FileHandle(forWritingTo: checkpoint.url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"image":{"path":"d.p"#.utf8))
        try handle.close()

        let loaded = checkpoint.load()
        #expect(loaded.images.map(\.path) == ["a.png", "b.png"])
        #expect(loaded.unreadable.map(\.path) == ["c.png"])
        try checkpoint.append(images: [Self.image("d.png")], unreadable: [])
        #expect(checkpoint.load().images.map(\.path) == ["a.png", "b.png", "d.png"], "the torn tail was cut, so the next line reads")
    }

    @Test func liveFiguresSayRateMegabytesAndTimeLeft() {
        let start = Date(timeIntervalSince1970: 1_000)
        let figures = ProgressFigures(
            step: "index", done: 100, total: 300, bytes: 60_000_000, startedAt: start, updatedAt: start.addingTimeInterval(60))
        #expect(figures.summary == "100/300  100 img/min  1.0 MB/s  ETA 2m00s")
        let finished = ProgressFigures(step: "index", done: 300, total: 300, bytes: 0, startedAt: start, updatedAt: start.addingTimeInterval(30))
        #expect(finished.summary == "300/300  600 img/min")
    }

    @Test func finalManifestHashesAreThoseOfTheZippedBytesAndProgressIsRecorded() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0\nindex.batch_size: 2\npipeline.auto_approve_review: true")
            defer { harness.remove() }
            let engine = try harness.engine()
            try harness.drop("hashes", images: 5)
            try engine.reconcile { _ in true }
            engine.runUntilIdle()
            let job = try harness.onlyJob()
            #expect(job.status == .completed, "\(harness.log.text)")
            let zip = try #require(harness.finalZips().first)
            let entries = try ZipInspection.contents(of: zip)
            let manifestURL = zip.deletingPathExtension().appendingPathExtension("manifest.json")
            struct Manifest: Decodable { struct Entry: Decodable { let name: String; let size: Int; let sha256: String }; let entries: [Entry] }
            let manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL))
            #expect(manifest.entries.count == entries.count)
            for entry in manifest.entries {
                let bytes = try #require(entries[entry.name], "\(entry.name) is in the zip")
                #expect(entry.size == bytes.count)
                #expect(entry.sha256 == FileDigest.hex(of: Data(bytes)), "\(entry.name)")
            }
            let progressFile = JobFolder(JobStore(stateDirectory: harness.layout.state).folder(of: job.id)).liveProgress
            let figures = try #require(ProgressFigures.read(from: progressFile))
            #expect(figures.step == Step.finalZip.label && figures.done == figures.total && figures.total == entries.count)
            #expect(figures.bytes == Int64(entries.values.reduce(0) { $0 + $1.count }))
        }
    }
}
