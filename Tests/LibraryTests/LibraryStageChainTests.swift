import CategoryLearning
import Configuration
import ExiftoolReader
import Foundation
import NASSync
import Library
import RsyncDaemon
import Testing

/// The stages issue 14 adds to the library chain: analyze (built-in facts and an external analyzer), categories
/// learned from real `mv`s in final/, and the rsync of final/ to a destination.
@Suite("sluice library run: analyze, learned categories and sync in the stage chain", .serialized)
struct LibraryStageChainTests {
    /// A real analyzer process (Python 3): a character tag and a rating for every image, an error for `unreadable-*`.
    static let analyzer = """
        import json, os, sys
        print(json.dumps({"ready": True}), flush=True)
        for line in sys.stdin:
            request = json.loads(line)
            name = os.path.basename(request["path"])
            if name.startswith("unreadable"):
                print(json.dumps({"id": request["id"], "error": "cannot read " + name}), flush=True)
                continue
            print(json.dumps({"id": request["id"], "tags": [{"tag": "tester_(sluice)", "category": "character", "confidence": 0.95}],
                "rating": "general", "rating_confidence": 0.875}), flush=True)
        """

    static func analyzerConfig(_ workspace: LibraryWorkspace) throws -> SluiceConfig {
        let script = workspace.root + "/analyzer.py"
        try Data(analyzer.utf8).write(to: URL(fileURLWithPath: script))
        var config = workspace.config(review: .always)
        config.library.stages.lookup = false
        config.analyze.analyzers = [SluiceConfig.AnalyzerEntry(name: "tester", command: ["python3", script])]
        config.analyze.timeoutSeconds = 20
        return config
    }

    @Test func analysisTagsGoToReviewSidecarAndManifestAndABrokenAnswerFailsNothing() async throws {
        let workspace = try LibraryWorkspace()
        try workspace.image("tall.png", seed: 41, width: 96, height: 128)
        try workspace.image("unreadable-wide.png", seed: 42, width: 400, height: 100)
        let config = try Self.analyzerConfig(workspace)
        let first = try await workspace.run(config)
        let tall = try #require(first.images.first { $0.path == "tall.png" })
        let wide = try #require(first.images.first { $0.path == "unreadable-wide.png" })
        #expect(tall.outcome(.analyze)?.status == .done && wide.outcome(.analyze)?.status == .done)
        let tallTags = (tall.analysis?.tags ?? []).map(\.line)
        #expect(tallTags.contains("sluice:sluice/aspect:portrait") && tallTags.contains("character:tester (sluice)"), "\(tallTags)")
        #expect(tallTags.contains("rating:general"))
        #expect(tall.analysis?.tags.first { $0.name == "tester (sluice)" }?.confidence == 95)
        #expect(tall.analysis?.content?.aspect.rawValue == "portrait")
        #expect(wide.analysis?.notAnalyzed["tester"]?.contains("cannot read unreadable-wide.png") == true)
        #expect(wide.outcome(.analyze)?.detail?.contains("tester: not analyzed: ") == true, "\(wide.outcome(.analyze)?.detail ?? "")")
        let wideTags = (wide.analysis?.tags ?? []).map(\.line)
        #expect(wideTags.contains("sluice:sluice/aspect:wide"), "\(wideTags)")

        // The review batch offers the analysis tags, with their confidence (percent) and source.
        let batch = workspace.root + "/review/pixiv dump__batch-1"
        let tagsFile = try String(contentsOfFile: batch + "/tall.png.tags.txt", encoding: .utf8)
        #expect(tagsFile.contains("sluice:sluice/aspect:portrait\n") && tagsFile.contains("character:tester (sluice)\n"))
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: batch + "/.sluice-batch.json"))) as? [String: Any]
        let images = manifest?["images"] as? [[String: Any]] ?? []
        let tallEntry = images.first { $0["file"] as? String == "tall.png" }
        let tester = (tallEntry?["tags"] as? [[String: Any]])?.first { $0["tag"] as? String == "tester (sluice)" }
        #expect(tester?["confidence"] as? Double == 95 && tester?["source"] as? String == "tester" && tester?["category"] as? String == "character")

        // Approve: the tags reach the sidecar, analysis tags under category sluice.
        _ = FileManager.default.createFile(atPath: batch + "/RESUME", contents: nil)
        let second = try await workspace.run(config)
        #expect(second.images.allSatisfy { $0.isFinished })
        #expect(workspace.finalTree().contains("Characters/tester (sluice)/tall.png.xmp"))
        let fields = try ExiftoolReader.fields(of: workspace.root + "/final/Characters/tester (sluice)/tall.png.xmp")
        #expect(ExiftoolReader.list(fields["XMP-dc:Subject"]).contains("sluice/aspect:portrait"), "\(fields)")
        #expect(ExiftoolReader.list(fields["XMP-lr:HierarchicalSubject"]).contains("sluice|sluice/aspect:portrait"), "\(fields)")
    }

    @Test func analyzeSwitchedOffRecordsOffAndAddsNoTags() async throws {
        let workspace = try LibraryWorkspace()
        try workspace.image("a.png", seed: 43)
        var config = workspace.config(review: .never)
        config.library.stages.lookup = false
        config.library.stages.analyze = false
        let report = try await workspace.run(config)
        let record = try #require(report.images.first)
        #expect(record.outcome(.analyze)?.status == .off && record.analysis == nil)
        #expect(record.approvedTags == [] && record.facts?.perceptualHash != nil)
        let runFrom = try await workspace.run(config, from: .analyze, to: .analyze, drop: workspace.drop)
        #expect(runFrom.images.first?.isFinished == true)
    }

    /// Real `mv`, as the user would type it.
    static func mv(_ source: String, _ destination: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/mv")
        process.arguments = [source, destination]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// A drop under inbox/ whose images each carry a `.tags.txt` (the tags a lookup would have found).
    static func drop(_ workspace: LibraryWorkspace, _ name: String, _ images: [(String, UInt64, String)]) throws -> String {
        let folder = workspace.root + "/inbox/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (file, seed, tags) in images {
            try workspace.image("../" + name + "/" + file, seed: seed)
            try Data(tags.utf8).write(to: URL(fileURLWithPath: folder + "/" + file + ".tags.txt"))
        }
        return folder
    }

    @Test func movesBetweenRunsTeachWhereImagesWithTheSameTagsGo() async throws {
        let workspace = try LibraryWorkspace()
        var config = workspace.config(review: .never)
        config.library.stages.lookup = false
        config.library.stages.review = false  // the tags come from the drop's .tags.txt files
        config.learning.minExamples = 3
        let miku = "character:hatsune miku\ncopyright:vocaloid\n"
        let rin = "character:kagamine rin\ncopyright:vocaloid\n"
        let one = try Self.drop(workspace, "one", [("m1.png", 51, miku), ("m2.png", 52, miku), ("m3.png", 53, miku), ("r1.png", 54, rin), ("r2.png", 55, rin)])
        let first = try await workspace.run(config, drop: one)
        #expect(first.placed.count == 5 && first.placed.contains { $0.finalPath == "Characters/hatsune miku/m1.png" })
        #expect(first.images.allSatisfy { $0.category?.decidedBy == .rule })

        // The user moves two of the miku images (only the images: their sidecars follow at the next start).
        let final = workspace.root + "/final"
        try FileManager.default.createDirectory(atPath: final + "/Vocaloid", withIntermediateDirectories: true)
        try Self.mv(final + "/Characters/hatsune miku/m1.png", final + "/Vocaloid/")
        try Self.mv(final + "/Characters/hatsune miku/m2.png", final + "/Vocaloid/")
        let two = try Self.drop(workspace, "two", [("m4.png", 56, miku)])
        let second = try await workspace.run(config, drop: two)
        let m4 = try #require(second.images.first?.category)
        // Two moves are under learning.min_examples: the rules still decide, and the manifest says what was proposed.
        #expect(m4.decidedBy == .rule && m4.folder == "Characters/hatsune miku", "\(m4)")
        #expect(m4.suggested != nil && m4.reason.contains("learned, not used: "), "\(m4.reason)")
        #expect(FileManager.default.fileExists(atPath: final + "/Vocaloid/m1.png.xmp"), "the sidecar followed its image")
        #expect(!FileManager.default.fileExists(atPath: final + "/Characters/hatsune miku/m1.png.xmp"))

        // More moves reach min_examples: the next miku image goes where the user put them, explained.
        try Self.mv(final + "/Characters/hatsune miku/m3.png", final + "/Vocaloid/")
        try Self.mv(final + "/Characters/hatsune miku/m4.png", final + "/Vocaloid/")
        let three = try Self.drop(workspace, "three", [("m5.png", 57, miku), ("r3.png", 58, rin)])
        let third = try await workspace.run(config, drop: three)
        let m5 = try #require(third.images.first { $0.path == "m5.png" })
        #expect(m5.category?.decidedBy == .suggestion && m5.destination == "final/Vocaloid/m5.png", "\(String(describing: m5.category))")
        #expect(m5.category?.reason.hasPrefix("learned: 4 of 4 images tagged `character:hatsune miku` were moved to Vocaloid/") == true,
                "\(m5.category?.reason ?? "")")
        let r3 = try #require(third.images.first { $0.path == "r3.png" })
        #expect(r3.destination == "final/Characters/kagamine rin/r3.png" && r3.category?.decidedBy == .rule)
        // The placement was recorded with the learner's proposal, so moving m5 again would teach too.
        let store = try CorrectionStore(path: CorrectionStore.path(stateFolder: workspace.root + "/.sluice"))
        #expect(try store.placement(atPath: "Vocaloid/m5.png")?.suggestedCategory == "Vocaloid")
        #expect(try store.corrections().count == 4)
    }

    @Test func syncAfterEachBatchAtTheEndOrOnlyWhenAsked() async throws {
        let workspace = try LibraryWorkspace()
        for seed in 0..<6 { try workspace.image("s\(seed).png", seed: UInt64(60 + seed)) }
        var config = workspace.config(review: .never)
        config.library.stages.lookup = false
        config.sync.destination = "nas"  // relative: under the root
        config.sync.when = .batch
        let batched = try await workspace.run(config)
        // Six images in batches of four: a sync after each batch, each sending that batch's images and sidecars.
        #expect(batched.syncs.map(\.batch) == [1, 2], "\(batched.syncs)")
        #expect(batched.syncs.map { $0.result?.sent.count ?? -1 } == [8, 4])
        #expect(batched.syncs.allSatisfy { $0.result?.verified == true })
        let nas = workspace.root + "/nas"
        let synced = (FileManager.default.enumerator(atPath: nas)?.allObjects as? [String] ?? [])
            .filter { !FileManager.default.isDirectory(nas + "/" + $0) }.sorted()
        #expect(synced == workspace.finalTree())
        #expect(synced.count == 12)
        // The live figures `sluice status` shows: the last sync's, finished, every file checked (rsync's percent counts
        // the bytes of files already there as never sent, so a second batch's sync ends below 100 %).
        let live = try #require(SyncProgressFile.read(from: SyncProgressFile.path(stateFolder: workspace.root + "/.sluice")))
        #expect(live.state == .finished && live.pid == getpid() && live.destination == nas, "\(live)")
        #expect((live.transfer?.filesTotal ?? 0) >= 12 && live.transfer?.filesDone == live.transfer?.filesTotal, "\(live)")

        // manual: nothing syncs on its own; `--from sync` syncs and touches no image.
        let more = try Self.drop(workspace, "more", [("t1.png", 70, "general:smile\n")])
        config.sync.when = .manual
        let manual = try await workspace.run(config, drop: more)
        #expect(manual.syncs.isEmpty && !FileManager.default.fileExists(atPath: nas + "/Uncategorized/t1.png"))
        let asked = try await workspace.run(config, from: .sync, drop: more)
        #expect(asked.syncs.count == 1 && asked.syncs.first?.batch == nil && asked.syncs.first?.result?.sent.sorted() == ["Uncategorized/t1.png", "Uncategorized/t1.png.xmp"])
        #expect(FileManager.default.fileExists(atPath: nas + "/Uncategorized/t1.png"))
    }

    @Test func syncAtTheEndToAnRsyncDaemonOnLoopback() async throws {
        let workspace = try LibraryWorkspace()
        for seed in 0..<3 { try workspace.image("d\(seed).png", seed: UInt64(90 + seed)) }
        let daemon = try RsyncDaemon(base: workspace.root + "/daemon")
        defer { daemon.stop() }
        var config = workspace.config(review: .never)
        config.library.stages.lookup = false
        config.sync.destination = "rsync://127.0.0.1:\(daemon.port)/pics/library"
        config.sync.when = .job
        let report = try await workspace.run(config)
        let sync = try #require(report.syncs.first)
        #expect(report.syncs.count == 1 && sync.batch == nil && sync.error == nil, "\(report.syncs)")
        #expect(sync.result?.sent.count == 6 && sync.result?.verified == true)
        let landed = (FileManager.default.enumerator(atPath: daemon.modulePath + "/library")?.allObjects as? [String] ?? [])
            .filter { !FileManager.default.isDirectory(daemon.modulePath + "/library/" + $0) }.sorted()
        #expect(landed == workspace.finalTree())
    }

    @Test func aFailedSyncIsInTheErrorReportAndFailsNoImage() async throws {
        let workspace = try LibraryWorkspace()
        try workspace.image("a.png", seed: 80)
        var config = workspace.config(review: .never)
        config.library.stages.lookup = false
        config.sync.destination = workspace.root + "/not-mounted/share"
        config.sync.when = .job
        let report = try await workspace.run(config)
        #expect(report.images.allSatisfy { $0.isFinished } && workspace.finalTree().count == 2)
        let problem = try #require(report.problems.first { $0.stage == .sync })
        #expect(problem.status == .failed && problem.detail.contains("not-mounted"), "\(problem.detail)")
        #expect(report.errorText.contains("[sync]"))
        #expect(report.syncs.count == 1 && report.syncs.first?.result == nil)
    }
}
