import Configuration
import ExiftoolReader
import Foundation
import Hashing
import Library
import LookupFakes
import LoopbackHTTPServer
import Synchronization
import Testing
import XMPSidecar

@Suite("sluice library run: every stage against loopback fakes, real files and the real exiftool", .serialized)
struct LibraryRunTests {
    /// Danbooru's post JSON with the given character and copyright (underscored, as Danbooru writes them).
    static func post(id: Int, md5: String, character: String, copyright: String = "genshin_impact") -> String {
        Fixtures.danbooruPost(id: id, md5: md5)
            .replacingOccurrences(of: "\"tag_string_character\":\"hu_tao_(genshin_impact)\"", with: "\"tag_string_character\":\"\(character)\"")
            .replacingOccurrences(of: "\"tag_string_copyright\":\"genshin_impact\"", with: "\"tag_string_copyright\":\"\(copyright)\"")
    }

    /// The scenario of the issue: found by MD5, by SauceNAO (one after a 429 with an HTML body), only by IQDB, not
    /// found, IQDB down for a while and down for good, two corrupt images, two already carrying the processed marker.
    /// Unchecked Sendable: the fakes' call counts are behind mutexes and nothing else changes after init.
    final class Scenario: @unchecked Sendable {
        let workspace: LibraryWorkspace
        var md5ByName: [String: String] = [:]
        let iqdbCalls = Mutex<[String: Int]>([:])
        let saucenaoCalls = Mutex<[String: Int]>([:])

        init() throws {
            workspace = try LibraryWorkspace()
            let names: [(String, UInt64)] = [
                ("exact-miku.png", 1), ("sub/EXACT-UPPER.PNG", 2), ("sauce.jpg", 3), ("sauce-after-429.png", 4), ("iqdb-only.webp", 5),
                ("iqdb-down-a-while.png", 6), ("iqdb-down-for-good.png", 7), ("unknown-1.png", 8), ("unknown-2.jpeg", 9),
            ]
            for (name, seed) in names { md5ByName[name] = try workspace.image(name, seed: seed) }
            try workspace.write("not an image at all", to: "garbage.jpg")
            var truncated = try Data(contentsOf: URL(fileURLWithPath: workspace.drop + "/exact-miku.png"))
            truncated = truncated.prefix(truncated.count / 3)
            try truncated.write(to: URL(fileURLWithPath: workspace.drop + "/broken.png"))
            for (name, seed) in [("already-1.png", UInt64(10)), ("already-2.jpg", 11)] {
                try workspace.image(name, seed: seed)
                _ = try SidecarStore().write(SidecarUpdate(tags: [SidecarTag("old")]), forImage: URL(fileURLWithPath: workspace.drop + "/" + name))
            }
            route()
        }

        private func route() {
            let md5 = md5ByName
            let byMD5 = [md5["exact-miku.png"]!: (1, "hatsune_miku"), md5["sub/EXACT-UPPER.PNG"]!: (2, "")]
            let sauceIDs = [md5["sauce.jpg"]!: 3, md5["sauce-after-429.png"]!: 4]
            let iqdbIDs = [md5["iqdb-only.webp"]!: 5, md5["iqdb-down-a-while.png"]!: 6]
            let characters = [1: "hatsune_miku", 2: "", 3: "hu_tao_(genshin_impact)", 4: "kagamine_rin", 5: "", 6: "zhongli_(genshin_impact)"]
            workspace.fakes.on(.danbooru) { request in
                if let asked = request.query["md5"] {
                    guard let (id, character) = byMD5[asked] else { return .json(Fixtures.danbooruNotFound, status: 404) }
                    return .json(LibraryRunTests.post(id: id, md5: asked, character: character))
                }
                guard let id = request.path.firstMatch(of: /posts\/(\d+)\.json/).flatMap({ Int($0.1) }), let character = characters[id] else {
                    return .json(Fixtures.danbooruNotFound, status: 404)
                }
                return .json(LibraryRunTests.post(id: id, md5: String(repeating: "0", count: 32), character: character, copyright: id == 5 ? "blue_archive" : "genshin_impact"))
            }
            let after429 = md5["sauce-after-429.png"]!
            workspace.fakes.on(.saucenao) { [unowned self] request in
                let uploaded = FileDigest.hex(of: request.formParts.first { $0.name == "file" }?.data ?? Data(), algorithm: .md5)
                let calls = self.saucenaoCalls.withLock { $0[uploaded, default: 0] += 1; return $0[uploaded]! }
                if uploaded == after429 && calls == 1 { return .html(Fixtures.saucenaoShortLimitHTML, status: 429) }
                guard let id = sauceIDs[uploaded] else { return .json(Fixtures.saucenao(results: "null")) }
                return .json(Fixtures.saucenao(results: "[\(Fixtures.saucenaoDanbooruResult(similarity: "94.56", danbooruID: id, gelbooruID: nil))]"))
            }
            let downAWhile = md5["iqdb-down-a-while.png"]!, downForGood = md5["iqdb-down-for-good.png"]!
            workspace.fakes.on(.iqdb) { [unowned self] request in
                let uploaded = FileDigest.hex(of: request.formParts.first { $0.name == "file" }?.data ?? Data(), algorithm: .md5)
                let calls = self.iqdbCalls.withLock { $0[uploaded, default: 0] += 1; return $0[uploaded]! }
                if uploaded == downForGood || (uploaded == downAWhile && calls <= 2) {
                    return .html("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", status: 503)
                }
                guard let id = iqdbIDs[uploaded] else { return .html(Fixtures.iqdbNoMatch) }
                return .html(Fixtures.iqdbPage(tables: Fixtures.iqdbCard(
                    "Best match", href: "//danbooru.donmai.us/posts/\(id)", size: "96×128", rating: "Safe", similarity: 93)))
            }
        }
    }

    @Test func everyImageEndsWhereTheRulesSayAndARerunAsksNothing() async throws {
        let scenario = try Scenario()
        let workspace = scenario.workspace
        let report = try await workspace.run(workspace.config())

        let expectedTree: [String] = [
            "Characters/hatsune miku/exact-miku.png", "Characters/hatsune miku/exact-miku.png.xmp",
            "Characters/hu tao (genshin impact)/sauce.jpg", "Characters/hu tao (genshin impact)/sauce.jpg.xmp",
            "Characters/kagamine rin/sauce-after-429.png", "Characters/kagamine rin/sauce-after-429.png.xmp",
            "Characters/zhongli (genshin impact)/iqdb-down-a-while.png", "Characters/zhongli (genshin impact)/iqdb-down-a-while.png.xmp",
            "Fanart/blue archive/iqdb-only.webp", "Fanart/blue archive/iqdb-only.webp.xmp",
            "Fanart/genshin impact/EXACT-UPPER.PNG", "Fanart/genshin impact/EXACT-UPPER.PNG.xmp",
            "Uncategorized/iqdb-down-for-good.png", "Uncategorized/iqdb-down-for-good.png.xmp",
        ]
        #expect(workspace.finalTree() == expectedTree)
        // Originals stay (output: copy); the sidecar went beside the original too, and travelled with the copy.
        #expect(FileManager.default.fileExists(atPath: workspace.drop + "/sauce.jpg"))

        // exiftool reads back the tags by category, the rating as a tag, and the post URL.
        let fields = try ExiftoolReader.fields(of: workspace.root + "/final/Characters/kagamine rin/sauce-after-429.png.xmp")
        let subjects = ExiftoolReader.list(fields["XMP-dc:Subject"])
        #expect(subjects.contains("kagamine rin") && subjects.contains("genshin impact") && subjects.contains("rating:sensitive"))
        #expect(ExiftoolReader.list(fields["XMP-lr:HierarchicalSubject"]).contains("character|kagamine rin"))
        #expect(ExiftoolReader.list(fields["XMP-digiKam:TagsList"]).contains("artist/ningen mame"))
        #expect(ExiftoolReader.list(fields["XMP-microsoft:LastKeywordXMP"]).contains("copyright/genshin impact"))
        #expect(fields["XMP-dc:Source"] as? String == workspace.fakes.settings().danbooruEndpoint + "/posts/4")

        // The two not found wait for review; the rest of the report says why each image stopped.
        let waiting = report.images.filter { $0.outcome(.review)?.status == .waiting }.map(\.path)
        #expect(waiting == ["unknown-1.png", "unknown-2.jpeg"])
        let problems = Dictionary(grouping: report.problems, by: \.status)
        #expect(Set(problems[.refused]?.map(\.image) ?? []) == ["broken.png", "garbage.jpg"])
        #expect(Set(problems[.skipped]?.map(\.image) ?? []) == ["already-1.png", "already-2.jpg"])
        let failed = try #require(problems[.failed]?.first)
        #expect(failed.image == "iqdb-down-for-good.png" && failed.stage == .lookup && failed.detail.contains("HTTP 503"))
        #expect(report.images.first { $0.path == "iqdb-down-a-while.png" }?.outcome(.lookup)?.attempts == 3)
        #expect(report.images.first { $0.path == "exact-miku.png" }?.category?.reason.contains("rule 1 (characters)") == true)
        let reports = try FileManager.default.contentsOfDirectory(atPath: workspace.root + "/.sluice/reports")
        let errorText = try String(contentsOfFile: workspace.root + "/.sluice/reports/\(reports[0])/errors.txt", encoding: .utf8)
        #expect(errorText.contains("broken.png [scan]") && errorText.contains("iqdb-down-for-good.png [lookup]"))

        // Each batch with waiting images has its folder (CONTRACTS.md layout); edit one image's tags, reject the
        // other's, approve one batch with RESUME and move the other to reviewed/.
        let batches = try FileManager.default.contentsOfDirectory(atPath: workspace.root + "/review").sorted()
        #expect(batches == ["pixiv dump__batch-3", "pixiv dump__batch-4"])
        let third = workspace.root + "/review/pixiv dump__batch-3", fourth = workspace.root + "/review/pixiv dump__batch-4"
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: third + "/.sluice-batch.json"))) as? [String: Any]
        #expect(manifest?["schema"] as? Int == 1 && manifest?["batch"] as? Int == 3 && (manifest?["images"] as? [Any])?.count == 1)
        #expect(FileManager.default.fileExists(atPath: third + "/REVIEW.md") && FileManager.default.fileExists(atPath: third + "/unknown-1.png"))
        try Data("character:kagamine_len\nrating:general\nsmile\n".utf8).write(to: URL(fileURLWithPath: third + "/unknown-1.png.tags.txt"))
        try FileManager.default.removeItem(atPath: fourth + "/unknown-2.jpeg.tags.txt")
        _ = FileManager.default.createFile(atPath: third + "/RESUME", contents: nil)
        try FileManager.default.createDirectory(atPath: workspace.root + "/reviewed", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: fourth, toPath: workspace.root + "/reviewed/done with these")

        let requestsBefore = workspace.fakes.requestCount
        _ = try await workspace.run(workspace.config())
        #expect(workspace.fakes.requestCount == requestsBefore, "answered lookups are not asked again")
        #expect(!FileManager.default.fileExists(atPath: third) && !FileManager.default.fileExists(atPath: workspace.root + "/reviewed/done with these"))
        let tree = workspace.finalTree()
        #expect(tree.contains("Characters/kagamine len/unknown-1.png") && tree.contains("Uncategorized/unknown-2.jpeg.xmp"))
        let edited = try ExiftoolReader.fields(of: workspace.root + "/final/Characters/kagamine len/unknown-1.png.xmp")
        #expect(Set(ExiftoolReader.list(edited["XMP-dc:Subject"])) == ["kagamine len", "rating:general", "smile"])
        let rejected = try ExiftoolReader.fields(of: workspace.root + "/final/Uncategorized/unknown-2.jpeg.xmp")
        #expect(ExiftoolReader.list(rejected["XMP-dc:Subject"]).isEmpty)

        // A third run finds everything done: no request, no new file.
        _ = try await workspace.run(workspace.config())
        #expect(workspace.fakes.requestCount == requestsBefore && workspace.finalTree() == tree)
        // Each answered upload was made once (the 429 and the 503s were not answers).
        #expect(scenario.saucenaoCalls.withLock { $0.values.allSatisfy { $0 <= 2 } })
        #expect(scenario.iqdbCalls.withLock { $0[scenario.md5ByName["iqdb-down-a-while.png"]!] } == 3)
    }

    @Test func spentSauceNAOQuotaMakesImagesWaitNotFailAndTheyGoOnAfterTheReset() async throws {
        let workspace = try LibraryWorkspace()
        for seed in 0..<5 { try workspace.image("img-\(seed).png", seed: UInt64(40 + seed)) }
        let saucenao = RateLimitedSauceNAO(shortLimit: 100, longLimit: 3, time: workspace.time)
        workspace.fakes.on(.saucenao) { saucenao.handle($0) }
        let first = try await workspace.run(workspace.config(review: .never))
        let waiting = first.images.filter { $0.outcome(.lookup)?.status == .waiting }
        #expect(waiting.map(\.path) == ["img-3.png", "img-4.png"])
        #expect(waiting.allSatisfy { $0.outcome(.lookup)?.detail?.hasPrefix("SauceNAO daily limit reached; resumes at ") == true })
        #expect(!first.problems.contains { $0.status == .failed })
        #expect(first.images.filter { $0.destination != nil }.count == 3)

        workspace.time.advance(by: 86_400)
        let second = try await workspace.run(workspace.config(review: .never))
        #expect(second.images.allSatisfy { $0.destination != nil && $0.outcome(.lookup)?.status == .done })
        #expect(saucenao.searches.count == 5)
    }

    @Test func fromSidecarToOrganizeUsesTheApprovedTagFiles() async throws {
        let workspace = try LibraryWorkspace()
        try workspace.image("a.png", seed: 21)
        try workspace.image("b.jpg", seed: 22)
        try workspace.write("character:hatsune miku\ncopyright:vocaloid\nrating:general\n", to: "a.png.tags.txt")
        try workspace.write("copyright:blue archive\n", to: "b.jpg.tags.txt")
        let report = try await workspace.run(workspace.config(), from: .sidecar, to: .organize)
        #expect(workspace.fakes.requestCount == 0)
        let expectedTree: [String] = [
            "Characters/hatsune miku/a.png", "Characters/hatsune miku/a.png.xmp", "Fanart/blue archive/b.jpg", "Fanart/blue archive/b.jpg.xmp",
        ]
        #expect(workspace.finalTree() == expectedTree)
        #expect(report.images.allSatisfy { $0.outcome(.lookup)?.status == .off && $0.outcome(.organize)?.status == .done })
        let fields = try ExiftoolReader.fields(of: workspace.root + "/final/Characters/hatsune miku/a.png.xmp")
        #expect(ExiftoolReader.list(fields["XMP-lr:HierarchicalSubject"]).contains("copyright|vocaloid"))
    }

    @Test func aClashGetsANumberedNameAndTheSameBytesCountAsDone() async throws {
        let workspace = try LibraryWorkspace()
        try workspace.image("a.png", seed: 31)
        try FileManager.default.createDirectory(atPath: workspace.root + "/final/Uncategorized", withIntermediateDirectories: true)
        try Data("someone else's a.png".utf8).write(to: URL(fileURLWithPath: workspace.root + "/final/Uncategorized/a.png"))
        var config = workspace.config(review: .never)
        config.library.stages.lookup = false
        _ = try await workspace.run(config)
        #expect(workspace.finalTree() == ["Uncategorized/a (2).png", "Uncategorized/a (2).png.xmp", "Uncategorized/a.png"])
        #expect(try String(contentsOfFile: workspace.root + "/final/Uncategorized/a.png", encoding: .utf8) == "someone else's a.png")
        // Another drop holding the same bytes under the same name: already there, nothing new written.
        let second = workspace.root + "/inbox/again"
        try FileManager.default.createDirectory(atPath: second, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: workspace.drop + "/a.png", toPath: second + "/a.png")
        let report = try await workspace.run(config, drop: second)
        #expect(report.images.first?.outcome(.organize)?.detail == "the same bytes were already there")
        #expect(workspace.finalTree().count == 3)
    }
}
