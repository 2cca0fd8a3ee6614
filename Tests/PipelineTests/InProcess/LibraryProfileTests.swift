import ExiftoolReader
import Foundation
import Hashing
import Jobs
import LookupFakes
import LoopbackHTTPServer
import Pipeline
import Testing

/// The library profile under the engine, in process with the test clock: batches, review, quota wait, completion.
@Suite(.serialized) struct LibraryProfileTests {
    /// A kill while a review folder was being written leaves `review/.<name>.tmp-<pid>`: start-up removes it, and
    /// only it (a finished batch folder and the user's own dot-file stay).
    @Test func startUpSweepsAReviewFolderLeftHalfWritten() throws {
        let harness = try LibraryHarness(batchSize: 4)
        defer { harness.remove() }
        let manager = FileManager.default
        let review = harness.layout.review
        let staging = review.appendingPathComponent(".pixiv dump__batch-2.tmp-4242")
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data("png".utf8).write(to: staging.appendingPathComponent("img-4.png"))
        let finished = review.appendingPathComponent("pixiv dump__batch-1")
        try manager.createDirectory(at: finished, withIntermediateDirectories: true)
        try Data("png".utf8).write(to: finished.appendingPathComponent("img-0.png"))
        try Data("mine".utf8).write(to: review.appendingPathComponent(".notes"))
        let engine = try harness.engine()
        engine.startUp()
        #expect(try manager.contentsOfDirectory(atPath: review.path).sorted() == [".notes", "pixiv dump__batch-1"])
        #expect(try manager.contentsOfDirectory(atPath: finished.path) == ["img-0.png"])
    }

    /// Eight images in batches of four: the first four are on Danbooru by MD5 (approved, organized at once); images
    /// 4 and 5 are found nowhere (their batch waits in review/); 6 and 7 meet SauceNAO's spent daily quota (two
    /// searches a day), wait, and are found by SauceNAO after the reset the test clock drives.
    @Test func aDropGoesThroughBatchesReviewAndAQuotaWaitToFinal() async throws {
        let harness = try LibraryHarness(batchSize: 4)
        defer { harness.remove() }
        let md5s = try harness.drop("pixiv dump", seeds: Array(0..<8))
        let exact = Set((0..<4).map { md5s["img-\($0).png"]! })
        let sauceFound = Dictionary(uniqueKeysWithValues: (6..<8).map { (md5s["img-\($0).png"]!, 600 + $0) })
        harness.fakes.on(.danbooru) { request in
            if let md5 = request.query["md5"] {
                return exact.contains(md5) ? .json(Fixtures.danbooruPost(id: 1, md5: md5)) : .json(Fixtures.danbooruNotFound, status: 404)
            }
            let id = request.path.firstMatch(of: /posts\/(\d+)\.json/).flatMap { Int($0.1) } ?? 0
            return .json(Fixtures.danbooruPost(id: id, md5: String(repeating: "0", count: 32)))
        }
        let saucenao = RateLimitedSauceNAO(shortLimit: 100, longLimit: 2, time: harness.time) { request in
            let md5 = FileDigest.hex(of: request.formParts.first { $0.name == "file" }?.data ?? Data(), algorithm: .md5)
            return sauceFound[md5].map { "[\(Fixtures.saucenaoDanbooruResult(similarity: "94.56", danbooruID: $0, gelbooruID: nil))]" } ?? "null"
        }
        harness.fakes.on(.saucenao) { saucenao.handle($0) }
        let engine = try harness.engine()

        // First pass: batch 1 organized, batch 2's two unknown images wait in review, 6 and 7 wait for the quota.
        try await harness.work(engine)
        var job = try harness.onlyJob()
        #expect(job.profile == "library" && job.status == .waitingExternal, "\(harness.log.text)")
        #expect(job.waitingFor?.hasPrefix("SauceNAO daily limit reached; resumes at ") == true, "\(job.waitingFor ?? "")")
        #expect(job.waitingFor?.contains("review/pixiv dump__batch-2/") == true)
        #expect(harness.finalTree().count == 8, "batch 1's four images and sidecars: \(harness.finalTree())")
        let batch = harness.layout.review.appendingPathComponent("pixiv dump__batch-2")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: batch.path)).isSuperset(of: ["img-4.png", "img-5.png", "REVIEW.md"]))
        #expect(job.library?.stages.first { $0.name == "lookup" } == LibraryProgress.Stage(name: "lookup", done: 6, total: 8))
        #expect(job.library?.waitingForQuota == 2 && job.library?.waitingForReview == 2)
        let status = try StatusReport.make(roots: [harness.layout]).text()
        #expect(status.contains("WAITING_EXTERNAL") && status.contains("lookup 6/8") && status.contains("API calls"), "\(status)")

        // The user edits one image's tags, rejects the other's, and approves the batch; the quota is still spent, so
        // SauceNAO is not asked again.
        try "character:kagamine_len\nrating:general\n".write(
            to: batch.appendingPathComponent("img-4.png.tags.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(at: batch.appendingPathComponent("img-5.png.tags.txt"))
        _ = FileManager.default.createFile(atPath: batch.appendingPathComponent("RESUME").path, contents: nil)
        let searchesBefore = saucenao.searches.count
        try await harness.work(engine)
        job = try harness.onlyJob()
        #expect(job.status == .waitingExternal, "\(harness.log.text)")
        #expect(!FileManager.default.fileExists(atPath: batch.path), "the decided batch folder is removed")
        #expect(saucenao.searches.count == searchesBefore && saucenao.tooManyRequests <= 1, "the pacer knows the quota is spent: \(saucenao.tooManyRequests) 429(s)")
        let tree = harness.finalTree()
        #expect(tree.contains("Characters/kagamine len/img-4.png") && tree.contains("Uncategorized/img-5.png.xmp"), "\(tree)")
        let edited = try ExiftoolReader.fields(of: harness.layout.final.path + "/Characters/kagamine len/img-4.png.xmp")
        #expect(Set(ExiftoolReader.list(edited["XMP-dc:Subject"])) == ["kagamine len", "rating:general"])
        let rejected = try ExiftoolReader.fields(of: harness.layout.final.path + "/Uncategorized/img-5.png.xmp")
        #expect(ExiftoolReader.list(rejected["XMP-dc:Subject"]).isEmpty)

        // A tick before the reset changes nothing; after it, the job goes on and completes.
        harness.clock.advance(by: .seconds(3600))
        try await harness.work(engine)
        #expect(try harness.onlyJob().status == .waitingExternal)
        harness.clock.advance(by: .seconds(86_400))
        try await harness.work(engine)
        job = try harness.onlyJob()
        #expect(job.status == .completed, "\(harness.log.text)")
        #expect(saucenao.searches.count == 4)
        #expect(harness.finalTree().count == 16)
        let source = try ExiftoolReader.fields(of: harness.layout.final.path + "/Characters/hu tao (genshin impact)/img-6.png.xmp")
        #expect((source["XMP-dc:Source"] as? String)?.hasSuffix("/posts/606") == true, "\(source)")
        let last = try #require(job.log.last?.message)
        #expect(last.hasPrefix("COMPLETED: manifest ") && last.contains("/manifest.json") && last.contains("errors.txt"), "\(last)")
        #expect(job.library?.finished == 8 && job.library?.cacheHits == 0)
    }
}
