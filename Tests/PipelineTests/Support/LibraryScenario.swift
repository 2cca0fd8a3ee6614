import Foundation
import Hashing
import Imaging
import LookupFakes
import LoopbackHTTPServer
import Synchronization
import XMPSidecar

/// A drop of generated images and the loopback fakes that know them, for the library profile through the real daemon:
/// found by MD5, by SauceNAO (one after a 429 with an HTML body), only by IQDB, IQDB down for a while, not found, two
/// corrupt files, two already carrying Sluice's processed marker. Every answered request is counted per image.
/// Unchecked Sendable: the counts are behind a mutex and nothing else changes after init.
final class LibraryScenario: @unchecked Sendable {
    enum Kind: String, CaseIterable { case md5, saucenao, after429, iqdb, iqdbDownAWhile, unknown, corrupt, alreadyProcessed }

    let fakes: FakeServices
    /// Image name → its kind, and → its MD5 (corrupt ones have none that matters).
    private(set) var kinds: [String: Kind] = [:]
    private(set) var md5s: [String: String] = [:]
    /// "service md5-or-post" → requests answered (a 2xx or 404 answer, not a 429 or 5xx).
    let answered = Mutex<[String: Int]>([:])
    private let failedCalls = Mutex<[String: Int]>([:])

    static let counts: [(Kind, Int)] = [
        (.md5, 15), (.saucenao, 15), (.after429, 1), (.iqdb, 8), (.iqdbDownAWhile, 2), (.unknown, 15), (.corrupt, 2),
        (.alreadyProcessed, 2),
    ]

    /// Writes `counts` images of each kind into `folder` and routes the fakes.
    init(writingInto folder: URL, counts: [(Kind, Int)] = LibraryScenario.counts) throws {
        fakes = try FakeServices()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var seed: UInt64 = 500
        for (kind, count) in counts {
            for index in 0..<count {
                seed += 1
                let name = "\(kind.rawValue)-\(index).\(index % 3 == 0 ? "jpg" : "png")"
                let path = folder.appendingPathComponent(name).path
                switch kind {
                case .corrupt:
                    try Data((index == 0 ? "not an image at all" : "\u{89}PNG\r\n\u{1A}\n truncated").utf8).write(to: URL(fileURLWithPath: path))
                default:
                    try ImageEncoder.write(
                        PixelImage.pattern(width: 64, height: 80, seed: seed), as: name.hasSuffix("jpg") ? .jpeg : .png, to: path)
                }
                if kind == .alreadyProcessed {
                    _ = try SidecarStore().write(SidecarUpdate(tags: [SidecarTag("old")]), forImage: URL(fileURLWithPath: path))
                }
                kinds[name] = kind
                md5s[name] = try FileDigest.hex(of: path, algorithm: .md5)
            }
        }
        route()
    }

    func names(_ kind: Kind) -> [String] { kinds.filter { $0.value == kind }.map(\.key).sorted() }

    /// The Danbooru post id each found image resolves to: 1000+ by MD5, 2000+ by SauceNAO, 3000+ by IQDB.
    private func postIDs() -> [String: Int] {
        var ids: [String: Int] = [:]
        for (base, kinds) in [(1000, [Kind.md5]), (2000, [.saucenao, .after429]), (3000, [.iqdb, .iqdbDownAWhile])] {
            for (offset, name) in kinds.flatMap(names).enumerated() { ids[md5s[name]!] = base + offset }
        }
        return ids
    }

    /// A Danbooru post: ids 1000+ are Hatsune Miku, 2000+ Hu Tao, 3000+ Blue Archive fan art without a character.
    static func post(id: Int, md5: String) -> String {
        let character = id < 2000 ? "hatsune_miku" : id < 3000 ? "hu_tao_(genshin_impact)" : ""
        return Fixtures.danbooruPost(id: id, md5: md5)
            .replacingOccurrences(of: "\"tag_string_character\":\"hu_tao_(genshin_impact)\"", with: "\"tag_string_character\":\"\(character)\"")
            .replacingOccurrences(of: "\"tag_string_copyright\":\"genshin_impact\"", with: "\"tag_string_copyright\":\"\(id >= 3000 ? "blue_archive" : "genshin_impact")\"")
    }

    private func route() {
        let ids = postIDs()
        let byMD5 = Set(names(.md5).map { md5s[$0]! })
        let bySauce = Set((names(.saucenao) + names(.after429)).map { md5s[$0]! })
        let byIQDB = Set((names(.iqdb) + names(.iqdbDownAWhile)).map { md5s[$0]! })
        let after429 = Set(names(.after429).map { md5s[$0]! })
        let downAWhile = Set(names(.iqdbDownAWhile).map { md5s[$0]! })
        fakes.on(.danbooru) { [unowned self] request in
            if let md5 = request.query["md5"] {
                self.answered.withLock { $0["md5 " + md5, default: 0] += 1 }
                return byMD5.contains(md5) ? .json(Self.post(id: ids[md5]!, md5: md5)) : .json(Fixtures.danbooruNotFound, status: 404)
            }
            let id = request.path.firstMatch(of: /posts\/(\d+)\.json/).flatMap { Int($0.1) } ?? 0
            self.answered.withLock { $0["post \(id)", default: 0] += 1 }
            return .json(Self.post(id: id, md5: String(repeating: "0", count: 32)))
        }
        fakes.on(.saucenao) { [unowned self] request in
            let md5 = FileDigest.hex(of: request.formParts.first { $0.name == "file" }?.data ?? Data(), algorithm: .md5)
            if after429.contains(md5), self.failedCalls.withLock({ $0["429 " + md5, default: 0] += 1; return $0["429 " + md5]! }) == 1 {
                return .html(Fixtures.saucenaoShortLimitHTML, status: 429)
            }
            self.answered.withLock { $0["saucenao " + md5, default: 0] += 1 }
            let results = bySauce.contains(md5)
                ? "[\(Fixtures.saucenaoDanbooruResult(similarity: "94.56", danbooruID: ids[md5]!, gelbooruID: nil))]" : "null"
            return .json(Fixtures.saucenao(results: results, shortLimit: "200", longLimit: "10000", shortRemaining: 199, longRemaining: 9999))
        }
        fakes.on(.iqdb) { [unowned self] request in
            let md5 = FileDigest.hex(of: request.formParts.first { $0.name == "file" }?.data ?? Data(), algorithm: .md5)
            // Down for the first lookup of these images (every HTTP attempt of it), up for the retry round.
            if downAWhile.contains(md5), self.failedCalls.withLock({ $0["iqdb " + md5, default: 0] += 1; return $0["iqdb " + md5]! }) <= 3 {
                return .html("<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", status: 503)
            }
            self.answered.withLock { $0["iqdb " + md5, default: 0] += 1 }
            guard byIQDB.contains(md5), let id = ids[md5] else { return .html(Fixtures.iqdbNoMatch) }
            return .html(Fixtures.iqdbPage(tables: Fixtures.iqdbCard(
                "Best match", href: "//danbooru.donmai.us/posts/\(id)", size: "64×80", rating: "Safe", similarity: 93)))
        }
    }

    /// A library root's sluice.yaml pointing every service at the fakes, with quick retries.
    func config(batchSize: Int) -> String {
        let settings = fakes.settings()
        return """
            profile: library
            library:
              review: auto
              batch_size: \(batchSize)
              lookup_retries: 2
              lookup_retry_minutes: 0.05
              categories:
                - has: [character]
                  folder: Characters/{character}
                - has: [copyright]
                  folder: Fanart/{copyright}
            watch:
              settle_ms: 300
            lookup:
              saucenao: {endpoint: "\(settings.saucenaoEndpoint)", api_key: "k"}
              danbooru: {endpoint: "\(settings.danbooruEndpoint)", login: "l", api_key: "k"}
              iqdb: {endpoint: "\(settings.iqdbEndpoint)"}
              gelbooru: {endpoint: "\(settings.gelbooruEndpoint)"}

            """
    }
}
