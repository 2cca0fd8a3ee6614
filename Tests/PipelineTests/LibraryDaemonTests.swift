import ExiftoolReader
import Foundation
import Glibc
import Jobs
import Testing

/// The library profile end to end through the real `sluice watch` daemon, the real watcher and the real exiftool.
@Suite(.serialized) struct LibraryDaemonTests {
    /// A library root (`sluice init --profile library`) with the scenario's config.
    static func libraryRoot(_ scenario: LibraryScenario, batchSize: Int) async throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-libd-\(UUID().uuidString)")
        let initialized = try await SluiceProcess.run(["init", root.path, "--profile", "library"])
        #expect(initialized.status == 0 && initialized.stdout.contains("inbox/ review/ reviewed/ final/"), "\(initialized)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("downloads").path))
        // The config holds API keys: private, or sluice refuses it.
        let written = FileManager.default.createFile(
            atPath: root.appendingPathComponent("sluice.yaml").path, contents: Data(scenario.config(batchSize: batchSize).utf8),
            attributes: [.posixPermissions: 0o600])
        #expect(written)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: root.appendingPathComponent("sluice.yaml").path)
        return root
    }

    static func job(_ root: URL) -> Job? {
        (try? JobStore(stateDirectory: root.appendingPathComponent(".sluice")).all().jobs)?.first
    }

    /// Review batch folders of the drop waiting in review/.
    static func waitingBatches(_ root: URL) -> [URL] {
        let review = root.appendingPathComponent("review")
        return ((try? FileManager.default.contentsOfDirectory(atPath: review.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            .map { review.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent(".sluice-batch.json").path) }
    }

    @Test func sixtyImagesThroughTheDaemonEndWhereTheRulesSay() async throws {
        let staging = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-libd-drop-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: staging) }
        let scenario = try LibraryScenario(writingInto: staging.appendingPathComponent("dump"))
        let root = try await Self.libraryRoot(scenario, batchSize: 20)
        defer { try? FileManager.default.removeItem(at: root) }
        let daemon = try SluiceProcess(["watch", root.path])
        defer { daemon.signal(SIGKILL) }
        #expect(await eventually(timeout: 60) { daemon.stderr.contains("watching") }, "\(daemon.stderr)")
        try FileManager.default.moveItem(at: staging.appendingPathComponent("dump"), to: root.appendingPathComponent("inbox/dump"))

        // Approve every review batch as it appears: in the first, edit one image's tags and reject another's, then
        // move it to reviewed/; touch RESUME in the others.
        var edited: String?, rejected: String?
        var approved = 0
        let finished = try await eventually(timeout: 300, every: 0.2) {
            for batch in Self.waitingBatches(root) where !FileManager.default.fileExists(atPath: batch.appendingPathComponent("RESUME").path) {
                if approved == 0 {
                    let images = try FileManager.default.contentsOfDirectory(atPath: batch.path).filter { $0.hasSuffix(".tags.txt") }.sorted()
                    edited = String(images[0].dropLast(".tags.txt".count))
                    rejected = String(images[1].dropLast(".tags.txt".count))
                    try "character:kagamine_len\nrating:general\nsmile\n".write(
                        to: batch.appendingPathComponent(images[0]), atomically: true, encoding: .utf8)
                    try FileManager.default.removeItem(at: batch.appendingPathComponent(images[1]))
                    try FileManager.default.moveItem(at: batch, to: root.appendingPathComponent("reviewed/first batch checked"))
                } else {
                    _ = FileManager.default.createFile(atPath: batch.appendingPathComponent("RESUME").path, contents: nil)
                }
                approved += 1
            }
            return Self.job(root)?.status.isFinished == true || !daemon.process.isRunning
        }
        let job = try #require(Self.job(root))
        #expect(finished && job.status == .completed, "\(job.status) \(job.waitingFor ?? "")\n\(daemon.stderr)")
        #expect(approved >= 1)

        // Every image ends where the rules say.
        let final = root.appendingPathComponent("final")
        func placed(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: final.appendingPathComponent(relative).path) }
        for name in scenario.names(.md5) { #expect(placed("Characters/hatsune miku/\(name)") && placed("Characters/hatsune miku/\(name).xmp"), "\(name)") }
        for name in scenario.names(.saucenao) + scenario.names(.after429) { #expect(placed("Characters/hu tao (genshin impact)/\(name)"), "\(name)") }
        for name in scenario.names(.iqdb) + scenario.names(.iqdbDownAWhile) { #expect(placed("Fanart/blue archive/\(name)"), "\(name)") }
        let edit = try #require(edited), reject = try #require(rejected)
        #expect(placed("Characters/kagamine len/\(edit)") && placed("Uncategorized/\(reject).xmp"))
        for name in scenario.names(.unknown) where name != edit { #expect(placed("Uncategorized/\(name)"), "\(name)") }
        let placedFiles = (FileManager.default.enumerator(atPath: final.path)?.allObjects as? [String] ?? []).filter { !$0.hasSuffix(".xmp") && $0.contains(".") }
        #expect(placedFiles.count == 56, "60 images less two corrupt and two already processed: \(placedFiles.count)")

        // exiftool reads back tags and source.
        let miku = try ExiftoolReader.fields(of: final.appendingPathComponent("Characters/hatsune miku/\(scenario.names(.md5)[0]).xmp").path)
        #expect(ExiftoolReader.list(miku["XMP-dc:Subject"]).contains("hatsune miku"))
        #expect((miku["XMP-dc:Source"] as? String)?.hasSuffix("/posts/1000") == true, "\(miku)")
        let iqdb = try ExiftoolReader.fields(of: final.appendingPathComponent("Fanart/blue archive/\(scenario.names(.iqdbDownAWhile)[0]).xmp").path)
        #expect(ExiftoolReader.list(iqdb["XMP-lr:HierarchicalSubject"]).contains("copyright|blue archive"), "\(iqdb)")
        let editedFields = try ExiftoolReader.fields(of: final.appendingPathComponent("Characters/kagamine len/\(edit).xmp").path)
        #expect(Set(ExiftoolReader.list(editedFields["XMP-dc:Subject"])) == ["kagamine len", "rating:general", "smile"])
        let rejectedFields = try ExiftoolReader.fields(of: final.appendingPathComponent("Uncategorized/\(reject).xmp").path)
        #expect(ExiftoolReader.list(rejectedFields["XMP-dc:Subject"]).isEmpty)

        // The report names the skipped and refused images with their reasons; the last log line names the report.
        let last = try #require(job.log.last?.message)
        let errors = try #require(last.firstMatch(of: /errors (\S+errors\.txt)/).map { String($0.1) }, "\(last)")
        let errorText = try String(contentsOfFile: errors, encoding: .utf8)
        for name in scenario.names(.corrupt) { #expect(errorText.contains("\(name) [scan]"), "\(errorText)") }
        for name in scenario.names(.alreadyProcessed) { #expect(errorText.contains("\(name) [scan]: its sidecar carries"), "\(errorText)") }
        #expect(last.contains("manifest.json"))
        // Each answered lookup was asked once (the 429 and the 503s were not answers).
        #expect(scenario.answered.withLock { $0.values.allSatisfy { $0 == 1 } }, "\(scenario.answered.withLock { $0.filter { $0.value > 1 } })")

        let status = try await SluiceProcess.run(["status", root.path, "--json"])
        #expect(status.stdout.contains("\"api_calls\"") && status.stdout.contains("\"cache_hits\""), "\(status.stdout)")
        daemon.signal(SIGTERM)
        #expect(await daemon.waitForExit(timeout: 30) == 0, "\(daemon.stderr)")
    }
}
