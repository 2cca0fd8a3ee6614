import Foundation
import Jobs
import Pipeline
import Testing

/// `pipeline.autotag: local`: the dataset profile captions with a real analyzer process (Python 3, JSON lines)
/// instead of the auto-tagger round trip, then normalizes and waits in review as usual.
@Suite struct LocalCaptionTests {
    /// Tags every image `tagger_<stem>`; refuses images whose name contains `_002` (an error answer).
    static let analyzer = """
        import json, os, sys
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            stem = os.path.splitext(os.path.basename(request["path"]))[0]
            if "_002" in stem:
                print(json.dumps({"id": request["id"], "error": "cannot read " + stem}), flush=True)
                continue
            print(json.dumps({"id": request["id"], "tags": [
                {"tag": "tagger_" + stem, "category": "general", "confidence": 0.9},
                {"tag": "1girl", "category": "general", "confidence": 0.99}]}), flush=True)
        """

    /// A root set to caption locally with the script above, and a drop of `images` captioned images.
    static func harness(images: Int) throws -> EngineHarness {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-analyzer-\(UUID().uuidString).py")
        try analyzer.write(to: script, atomically: true, encoding: .utf8)
        let harness = try EngineHarness(config: """
            pipeline.autotag: local
            watch.settle_ms: 0
            final.missing_caption: empty
            analyze.analyzers: [{name: tagger, command: [python3, \(script.path)]}]
            """)
        try harness.drop("local", images: images)
        return harness
    }

    @Test func localCaptionsReplaceTheRoundTripAndUncaptionedImagesAreListed() async throws {
        try await onOwnThread {
            let harness = try Self.harness(images: 3)
            defer { harness.remove() }
            // The drop's img_002 has no caption of its own, so the analyzer's refusal leaves it uncaptioned.
            let drop = harness.layout.inbox.appendingPathComponent("local")
            try FileManager.default.removeItem(at: drop.appendingPathComponent("img_002.txt"))
            let engine = try harness.engine()
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness) == [
                "RUNNING index", "RUNNING local_caption", "RUNNING normalize", "RUNNING review", "WAITING_MANUAL review",
            ])
            let review = harness.layout.review.appendingPathComponent("local")
            let caption = try String(contentsOf: review.appendingPathComponent("img_000.txt"), encoding: .utf8)
            #expect(caption.contains("tagger img 000"), "the analyzer's tag, normalized (`_` → space): \(caption)")
            #expect(!caption.contains("blue eyes"), "the drop's own caption was replaced: \(caption)")
            #expect(!FileManager.default.fileExists(atPath: review.appendingPathComponent("img_002.txt").path))
            let report = try String(contentsOf: review.appendingPathComponent("REVIEW.md"), encoding: .utf8)
            #expect(report.contains("did not caption") && report.contains("`img_002.png`: "), "\(report)")
            #expect(try harness.onlyJob().artifacts.notCaptioned?.map(\.image) == ["img_002.png"])

            // The drop's own captions were backed up before being replaced; the job's copy of the drop is untouched.
            let folder = JobFolder(JobStore(stateDirectory: harness.layout.state).folder(of: try harness.onlyJob().id))
            let backup = try String(contentsOf: folder.localCaptionBackups.appendingPathComponent("img_000.txt"), encoding: .utf8)
            #expect(backup.contains("blue_eyes"))
            #expect(try String(contentsOf: folder.source.appendingPathComponent("img_000.txt"), encoding: .utf8) == backup)

            // Approved, the uncaptioned image falls under final.missing_caption (empty): it gets an empty caption.
            harness.touch("review/local/RESUME")
            try engine.reconcile { _ in true }
            #expect(try DatasetProfileTests.stepByStep(engine, harness) == ["RUNNING final_cleanup", "RUNNING final_zip", "COMPLETED done"])
            let zips = harness.finalZips()
            #expect(zips.count == 1)
            if let zip = zips.first {
                #expect(try ZipInspection.unzipTest(zip).ok)
                #expect(try ZipInspection.contents(of: zip).keys.contains { $0.hasSuffix("img_002.txt") })
            }
        }
    }

    /// As a kill -9 during the step leaves it: the job still at local_caption, the staging folder half done (one
    /// image captioned, the next not yet). The restart rewrites no caption and backs up each of the drop's once.
    @Test func aRestartAfterAnInterruptedCaptioningRewritesNothing() async throws {
        try await onOwnThread {
            let harness = try Self.harness(images: 2)
            defer { harness.remove() }
            let engine = try harness.engine()
            try engine.reconcile { _ in true }
            #expect(engine.runUntilIdle(limit: 2) == 2)
            let beforeStep = try harness.onlyJob()
            #expect(beforeStep.step == .localCaption)
            let store = JobStore(stateDirectory: harness.layout.state)
            let folder = JobFolder(store.folder(of: beforeStep.id))
            #expect(engine.runUntilIdle(limit: 1) == 1)

            // Rewind to the moment of the kill: job.json as saved before the step, the staging folder not yet
            // published, img_001 not yet captioned (the drop's caption still in place) but already backed up.
            try store.save(beforeStep)
            try FileManager.default.moveItem(at: folder.captionsFromAnalyzer, to: folder.captionsFromAnalyzerStaging)
            let staging = folder.captionsFromAnalyzerStaging
            let own = try Data(contentsOf: folder.source.appendingPathComponent("img_001.txt"))
            try own.write(to: staging.appendingPathComponent("img_001.txt"))
            let written = staging.appendingPathComponent("img_000.txt")
            let writtenBefore = try FileManager.default.attributesOfItem(atPath: written.path)
            let backup = folder.localCaptionBackups.appendingPathComponent("img_001.txt")
            try Data("the first backup".utf8).write(to: backup)

            let restarted = try harness.engine()
            #expect(restarted.runUntilIdle(limit: 1) == 1)
            #expect(try harness.onlyJob().step == .normalize)
            let writtenAfter = try FileManager.default.attributesOfItem(atPath: folder.captionsFromAnalyzer.appendingPathComponent("img_000.txt").path)
            #expect(writtenAfter[.systemFileNumber] as? Int == writtenBefore[.systemFileNumber] as? Int, "img_000's caption was not rewritten")
            #expect(writtenAfter[.modificationDate] as? Date == writtenBefore[.modificationDate] as? Date)
            let captioned = try String(contentsOf: folder.captionsFromAnalyzer.appendingPathComponent("img_001.txt"), encoding: .utf8)
            #expect(captioned.contains("tagger_img_001"))
            #expect(try String(contentsOf: backup, encoding: .utf8) == "the first backup", "the backup is made once, never replaced")
            #expect(!FileManager.default.fileExists(atPath: staging.path))
        }
    }
}
