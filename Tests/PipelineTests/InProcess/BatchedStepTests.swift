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

    /// Runs the dropped job through step H and returns its folder and the job file as it was before step H, so a
    /// test can put that file back: a kill after the stage was made but before the job was saved.
    static func runStepH(_ engine: Engine, _ harness: EngineHarness) throws -> (Job, JobStore, JobFolder, Data) {
        try engine.reconcile { _ in true }
        while try harness.onlyJob().step != .finalCleanup {
            try #require(engine.runUntilIdle(limit: 1) == 1, "\(harness.log.text)")
        }
        let job = try harness.onlyJob()
        let store = JobStore(stateDirectory: harness.layout.state)
        let saved = try Data(contentsOf: store.folder(of: job.id).appendingPathComponent("job.json"))
        #expect(engine.runUntilIdle(limit: 1) == 1)
        return (job, store, JobFolder(store.folder(of: job.id)), saved)
    }

    /// Step H links a caption the final rules leave as it is (no new file to allocate and flush) and writes one they
    /// change; a linked caption edited in place after a kill is checked again: redone when the rules now change it.
    @Test func finalCleanupLinksFinalCaptionsAndRechecksThemAfterAKill() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0\npipeline.auto_approve_review: true")
            defer { harness.remove() }
            try harness.drop("linked", images: 4)
            let engine = try harness.engine()
            let (job, store, folder, saved) = try Self.runStepH(engine, harness)
            let captions = try FileManager.default.contentsOfDirectory(atPath: folder.finalStage.path).filter { $0.hasSuffix(".txt") }.sorted()
            try #require(captions.count == 4)
            func inode(_ url: URL) throws -> UInt64 { try #require((try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? NSNumber)?.uint64Value) }
            for name in captions {
                #expect(try inode(folder.finalStage.appendingPathComponent(name)) == inode(folder.reviewedCopy.appendingPathComponent(name)), "\(name) is linked")
            }
            // The kill before the job was saved; then an in-place edit the final rules change (a tag twice).
            try saved.write(to: store.folder(of: job.id).appendingPathComponent("job.json"))
            try FileManager.default.moveItem(at: folder.finalStage, to: folder.finalStaging)
            let handle = try FileHandle(forWritingTo: folder.reviewedCopy.appendingPathComponent(captions[0]))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data("solo, solo, smile".utf8))
            try handle.close()
            engine.runUntilIdle()
            #expect(try harness.onlyJob().status == .completed, "\(harness.log.text)")
            let entries = try ZipInspection.contents(of: try #require(harness.finalZips().first))
            let name = try #require(entries.keys.first { $0.hasSuffix(captions[0]) })
            #expect(String(decoding: entries[name] ?? [], as: UTF8.self) == "solo, smile", "the edit was cleaned, not kept as linked")
        }
    }

    /// Step H killed after part of its staging folder was written, before the job was saved: the restart keeps the
    /// pairs that are whole and current, redoes the rest (a missing caption, a caption edited since), and the zip
    /// holds what a run without the kill makes.
    @Test func finalCleanupAfterAKillKeepsWhatIsWholeAndRedoesTheRest() async throws {
        try await onOwnThread {
            let config = "pipeline.autotag: false\nwatch.settle_ms: 0\npipeline.auto_approve_review: true"
            let reference = try EngineHarness(config: config)
            defer { reference.remove() }
            try reference.drop("kept", images: 6)
            let referenceEngine = try reference.engine()
            try referenceEngine.reconcile { _ in true }
            referenceEngine.runUntilIdle()
            var expected = try ZipInspection.contents(of: try #require(reference.finalZips().first))

            let harness = try EngineHarness(config: config)
            defer { harness.remove() }
            try harness.drop("kept", images: 6)
            let engine = try harness.engine()
            let (job, store, folder, saved) = try Self.runStepH(engine, harness)
            // The kill: the job file still says step H, and the stage was not renamed yet. Two captions of the last
            // batch never reached the folder (their images' links did), and one input caption changed since.
            try saved.write(to: store.folder(of: job.id).appendingPathComponent("job.json"))
            try FileManager.default.moveItem(at: folder.finalStage, to: folder.finalStaging)
            let captions = try FileManager.default.contentsOfDirectory(atPath: folder.finalStaging.path).filter { $0.hasSuffix(".txt") }.sorted()
            try #require(captions.count == 6)
            for name in captions.suffix(2) { try FileManager.default.removeItem(at: folder.finalStaging.appendingPathComponent(name)) }
            let edited = folder.reviewedCopy.appendingPathComponent(captions[0])
            let later = Date().addingTimeInterval(5)
            // Replaced, as an editor saves: the staged caption may be a link to the old one (rules left it as it was).
            try Data("edited_after_the_kill, 1girl".utf8).write(to: edited, options: .atomic)
            try FileManager.default.setAttributes([.modificationDate: later], ofItemAtPath: edited.path)

            engine.runUntilIdle()
            let finished = try harness.onlyJob()
            #expect(finished.status == .completed, "\(harness.log.text)")
            #expect(finished.log.contains { $0.message.contains("final cleanup: 6 images with captions (3 kept from the interrupted run)") }, "\(finished.log.map(\.message))")
            let entries = try ZipInspection.contents(of: try #require(harness.finalZips().first))
            let editedName = try #require(entries.keys.first { $0.hasSuffix("/" + captions[0]) || $0 == captions[0] })
            let editedEntry = String(decoding: entries[editedName] ?? [], as: UTF8.self)
            #expect(editedEntry.contains("edited after the kill") || editedEntry.contains("edited_after_the_kill"), "\(editedEntry)")
            expected[editedName] = entries[editedName]
            #expect(entries == expected, "every other entry as a run without the kill makes it")
        }
    }
}
