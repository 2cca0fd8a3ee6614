import Foundation
import Jobs
import Pipeline
import Testing
import ZipArchive

/// Issue 9 items 5, 13, 18: what comes through downloads/ is examined once, reported once, and only what a job can use
/// is kept.
@Suite struct DownloadIntakeTests {
    static let roundTrip = "pipeline.autotag: true\nwatch.settle_ms: 0"

    /// A harness whose only job waits for the auto-tagger's result.
    static func waitingJob() throws -> (EngineHarness, Engine) {
        let harness = try EngineHarness(config: roundTrip)
        let engine = try harness.engine()
        try harness.drop("tagme", images: 2)
        try engine.reconcile { _ in true }
        #expect(try DatasetProfileTests.stepByStep(engine, harness).last == "WAITING_DOWNLOAD wait_for_result")
        return (harness, engine)
    }

    /// Writes `bytes` into downloads/ as `name`, dated at the test clock (results older than the job are ignored).
    static func download(_ bytes: Data, as name: String, _ harness: EngineHarness) throws -> URL {
        let url = harness.layout.downloads.appendingPathComponent(name)
        try bytes.write(to: url)
        try FileManager.default.setAttributes([.modificationDate: harness.clock.date.addingTimeInterval(60)], ofItemAtPath: url.path)
        return url
    }

    static func jobLog(_ harness: EngineHarness) throws -> [String] { try harness.onlyJob().log.map(\.message) }

    @Test func aPNGNamedZipIsNamedOnceInTheWaitingJobsLogAsNeverCompleting() async throws {
        try await onOwnThread {
            let (harness, engine) = try Self.waitingJob()
            defer { harness.remove() }
            _ = try Self.download(try TestDatasets.png(width: 20, height: 20, seed: 3), as: "result.zip", harness)
            try engine.reconcile { _ in true }
            try engine.reconcile { _ in true }
            let lines = try Self.jobLog(harness).filter { $0.contains("result.zip") }
            #expect(lines.count == 1, "\(lines)")
            #expect(lines.first?.contains("not a zip at all (its bytes are a PNG image); it will never complete") == true)
        }
    }

    @Test func aTruncatedZipIsNamedAsTruncatedAndWaitedFor() async throws {
        try await onOwnThread {
            let (harness, engine) = try Self.waitingJob()
            defer { harness.remove() }
            let upload = try #require(try harness.onlyJob().artifacts.autotagZip)
            let bytes = try Data(contentsOf: URL(fileURLWithPath: upload))
            _ = try Self.download(bytes.prefix(bytes.count / 2), as: "half.zip", harness)
            try engine.reconcile { _ in true }
            let lines = try Self.jobLog(harness).filter { $0.contains("half.zip") }
            #expect(lines.count == 1)
            #expect(lines.first?.contains("a truncated zip") == true, "\(lines)")
            #expect(try harness.onlyJob().status == .waitingDownload)
        }
    }

    @Test func aZipMatchingNoJobIsExaminedOnceAcrossRestarts() async throws {
        try await onOwnThread {
            let (harness, engine) = try Self.waitingJob()
            defer { harness.remove() }
            let image = harness.layout.root.appendingPathComponent("other.png")
            try TestDatasets.png(width: 33, height: 21, seed: 99).write(to: image)
            let zip = harness.layout.root.appendingPathComponent("other.zip")
            let writer = try ZipWriter(path: zip.path)
            _ = try writer.addFiles([ZipWriter.Entry(sourcePath: image.path, name: "000.png", compression: .stored)])
            try writer.finish()
            _ = try Self.download(try Data(contentsOf: zip), as: "unrelated.zip", harness)

            try engine.reconcile { _ in true }
            #expect(harness.log.text.components(separatedBy: "matches no waiting job").count == 2)
            let restarted = try harness.engine()
            restarted.startUp()
            try restarted.reconcile { _ in true }
            #expect(harness.log.text.components(separatedBy: "matches no waiting job").count == 2, "not examined again after a restart")
            let intake = harness.layout.state.appendingPathComponent("intake")
            #expect(try FileManager.default.contentsOfDirectory(atPath: intake.path) == ["examined.json"])
        }
    }

    @Test func onlyImagesAndCaptionsOfAResultZipAreKept() async throws {
        try await onOwnThread {
            let (harness, engine) = try Self.waitingJob()
            defer { harness.remove() }
            let upload = try #require(try harness.onlyJob().artifacts.autotagZip)
            let work = harness.layout.root.appendingPathComponent("work")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let plain = work.appendingPathComponent("plain.zip").path
            _ = try CivitAISimulator.makeResult(fromUpload: upload, to: plain)
            // The same result with junk beside it: a binary, a script, and a nested archive.
            let unpacked = work.appendingPathComponent("unpacked")
            _ = try ZipReader(path: plain).extractAll(into: unpacked.path)
            try Data(repeating: 7, count: 4096).write(to: unpacked.appendingPathComponent("junk.bin"))
            try Data("echo hi".utf8).write(to: unpacked.appendingPathComponent("run.sh"))
            let names = try FileManager.default.contentsOfDirectory(atPath: unpacked.path).sorted()
            let result = work.appendingPathComponent("result.zip")
            let writer = try ZipWriter(path: result.path)
            _ = try writer.addFiles(names.map { ZipWriter.Entry(sourcePath: unpacked.appendingPathComponent($0).path, name: $0, compression: .deflated) })
            try writer.finish()
            _ = try Self.download(try Data(contentsOf: result), as: "123_training_data.zip", harness)

            try engine.reconcile { _ in true }
            let job = try harness.onlyJob()
            #expect(job.step != .waitForResult || job.status != .waitingDownload, "the result was taken: \(job.log.map(\.message))")
            let kept = try FileManager.default.contentsOfDirectory(
                atPath: JobFolder(JobStore(stateDirectory: harness.layout.state).folder(of: job.id)).resultFolder.path)
            #expect(!kept.isEmpty)
            #expect(kept.allSatisfy { DatasetFiles.isImage($0) || $0.hasSuffix(".txt") }, "\(kept)")
        }
    }
}
