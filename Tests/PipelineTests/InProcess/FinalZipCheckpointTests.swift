import Foundation
import Jobs
@testable import Pipeline
import Testing
import ZipArchive

/// Step I's checkpoint: chunk lines that survive a torn append, a header that names the zip and its entry list, and
/// the start-up sweep that keeps a partial zip its checkpoint can continue.
@Suite struct FinalZipCheckpointTests {
    static let entries = ["a.png", "a.txt", "b.png", "b.txt"].map {
        ZipWriter.Entry(sourcePath: "/nowhere/" + $0, name: $0, compression: $0.hasSuffix(".txt") ? .deflated : .stored)
    }

    /// The entries a writer reports for `entries`, from a real zip written from real files.
    static func written(in folder: URL) throws -> (offsets: [UInt64], written: [ZipWriter.Written]) {
        let writer = try ZipWriter(path: folder.appendingPathComponent("z.zip").path, computesSHA256: true)
        var offsets: [UInt64] = []
        var written: [ZipWriter.Written] = []
        for entry in entries {
            written.append(try writer.addData(Array(entry.name.utf8), as: entry.name, compression: entry.compression))
            offsets.append(try writer.sync())
        }
        return (offsets, written)
    }

    @Test func chunksAreKeptWholeAndATornLineIsCutOff() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-zipcheckpoint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (offsets, written) = try Self.written(in: folder)
        let checkpoint = FinalZipCheckpoint(url: folder.appendingPathComponent("final-zip.partial.jsonl"))
        let header = FinalZipCheckpoint.Header(zip: "set.zip", entries: Self.entries)
        try checkpoint.start(header)
        try checkpoint.append(offset: offsets[1], written: Array(written[0..<2]))
        try checkpoint.append(offset: offsets[2], written: [written[2]])
        // A kill in the middle of the next append: part of a line reached the file.
        let handle = try FileHandle(forWritingTo: checkpoint.url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"chunk":{"offset":99"#.utf8))
        try handle.close()

        let loaded = try #require(checkpoint.load())
        #expect(loaded.header == header)
        #expect(loaded.offset == offsets[2])
        #expect(loaded.written == Array(written[0..<3]), "every fact of each recorded entry survives the JSON line")
        try checkpoint.append(offset: offsets[3], written: [written[3]])
        #expect(checkpoint.load()?.written.count == 4, "the torn tail was cut, so the next line reads")
        #expect(checkpoint.zipName() == "set.zip")

        // Another entry list (a renamed file, another compression) gives another header.
        var renamed = Self.entries
        renamed[1].name = "c.txt"
        var recompressed = Self.entries
        recompressed[0].compression = .deflated
        #expect(FinalZipCheckpoint.Header(zip: "set.zip", entries: renamed) != header)
        #expect(FinalZipCheckpoint.Header(zip: "set.zip", entries: recompressed) != header)
        #expect(FinalZipCheckpoint.Header(zip: "other.zip", entries: Self.entries) != header)
    }

    @Test func startUpSweepKeepsAPartialItsCheckpointContinuesAndNothingElse() async throws {
        try await onOwnThread {
            let harness = try EngineHarness(config: "pipeline.autotag: false\nwatch.settle_ms: 0")
            defer { harness.remove() }
            let manager = FileManager.default
            let jobs = harness.layout.state.appendingPathComponent("jobs")
            for id in ["j1", "j2"] {
                let folder = JobFolder(jobs.appendingPathComponent(id))
                try manager.createDirectory(at: folder.url, withIntermediateDirectories: true)
                try Data("{}".utf8).write(to: folder.url.appendingPathComponent("job.json"))
                let checkpoint = FinalZipCheckpoint(url: folder.finalZipCheckpoint)
                try checkpoint.start(FinalZipCheckpoint.Header(zip: "\(id).zip", entries: Self.entries))
            }
            let final = harness.layout.final
            try Data("kept".utf8).write(to: final.appendingPathComponent(".j1.zip.partial"))  // j1's checkpoint continues it
            try Data("gone".utf8).write(to: final.appendingPathComponent(".other.zip.partial"))  // no checkpoint names it

            let engine = try harness.engine()
            engine.startUp()
            #expect(try manager.contentsOfDirectory(atPath: final.path) == [".j1.zip.partial"])
            #expect(manager.fileExists(atPath: JobFolder(jobs.appendingPathComponent("j1")).finalZipCheckpoint.path))
            #expect(
                !manager.fileExists(atPath: JobFolder(jobs.appendingPathComponent("j2")).finalZipCheckpoint.path),
                "a checkpoint whose partial is gone is removed")
        }
    }
}
