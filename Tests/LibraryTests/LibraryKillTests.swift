import Foundation
import Hashing
import Library
import LookupFakes
import LoopbackHTTPServer
import Synchronization
import Testing

@Suite("sluice library run killed with SIGKILL at several points, then run again", .serialized)
struct LibraryKillTests {
    /// The real `sluice` built beside the tests.
    static var executable: String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice").path,
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/sluice").path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[1]
    }

    /// Runs `sluice library run` and returns its exit status, or -signal when a signal ended it.
    static func run(_ drop: String, root: String, crashAt: String? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["library", "run", drop, "--root", root]
        var environment = ProcessInfo.processInfo.environment
        environment["SLUICE_LIBRARY_CRASH_AT"] = crashAt
        process.environment = environment
        process.standardError = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal ? -process.terminationStatus : process.terminationStatus
    }

    /// A root whose sluice.yaml points every service at the fakes (private, since it holds keys).
    static func makeRoot(_ path: String, fakes: FakeServices) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let settings = fakes.settings()
        let yaml = """
            profile: library
            library:
              review: never
              batch_size: 4
              categories:
                - has: [character]
                  folder: Characters/{character}
                - has: [copyright]
                  folder: Fanart/{copyright}
            lookup:
              saucenao: {endpoint: "\(settings.saucenaoEndpoint)", api_key: "k"}
              danbooru: {endpoint: "\(settings.danbooruEndpoint)", login: "l", api_key: "k"}
              iqdb: {endpoint: "\(settings.iqdbEndpoint)"}
              gelbooru: {endpoint: "\(settings.gelbooruEndpoint)"}

            """
        _ = FileManager.default.createFile(atPath: path + "/sluice.yaml", contents: Data(yaml.utf8), attributes: [.posixPermissions: 0o600])
    }

    /// Every file under final/ with its bytes; sidecars without the processed marker's date (it is the run's clock).
    static func tree(_ root: String) throws -> [String: Data] {
        let base = root + "/final"
        var result: [String: Data] = [:]
        for case let path as String in FileManager.default.enumerator(atPath: base)?.allObjects ?? [] {
            guard !FileManager.default.isDirectory(base + "/" + path) else { continue }
            var data = try Data(contentsOf: URL(fileURLWithPath: base + "/" + path))
            if path.hasSuffix(".xmp") {
                data = Data(String(decoding: data, as: UTF8.self).replacing(/<sluice:ProcessedDate>[^<]*<\/sluice:ProcessedDate>/, with: "DATE").utf8)
            }
            result[path] = data
        }
        return result
    }

    @Test func killedAtElevenPointsThenRerunGivesTheSameFinalTreeAndAsksEachAnswerOnce() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("library-kill-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let fakes = try FakeServices()
        let workspace = try LibraryWorkspace()
        var md5s: [String] = []
        for seed in 0..<12 { md5s.append(try workspace.image("img-\(seed).png", seed: UInt64(100 + seed))) }
        // Each root gets its own copy of the drop: sidecars are written beside the images.
        func freshDrop(_ name: String) throws -> String {
            let drop = base + "/" + name + "/drop"
            try FileManager.default.createDirectory(atPath: base + "/" + name, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: workspace.drop, toPath: drop)
            return drop
        }
        // Images 0-3 are on Danbooru by MD5, 4-7 found by SauceNAO, 8-11 nowhere.
        let exact = Dictionary(uniqueKeysWithValues: md5s[0..<4].enumerated().map { ($1, $0 + 1) })
        let sauce = Dictionary(uniqueKeysWithValues: md5s[4..<8].enumerated().map { ($1, $0 + 5) })
        let answered = Mutex<[String: Int]>([:])
        fakes.on(.danbooru) { request in
            if let md5 = request.query["md5"] {
                answered.withLock { $0["md5 " + md5, default: 0] += 1 }
                guard let id = exact[md5] else { return .json(Fixtures.danbooruNotFound, status: 404) }
                return .json(LibraryRunTests.post(id: id, md5: md5, character: id % 2 == 0 ? "hatsune_miku" : ""))
            }
            let id = request.path.firstMatch(of: /posts\/(\d+)\.json/).flatMap { Int($0.1) } ?? 0
            answered.withLock { $0["post \(id)", default: 0] += 1 }
            return .json(LibraryRunTests.post(id: id, md5: String(repeating: "0", count: 32), character: "kagamine_rin"))
        }
        fakes.on(.saucenao) { request in
            let md5 = FileDigest.hex(of: request.formParts.first { $0.name == "file" }?.data ?? Data(), algorithm: .md5)
            answered.withLock { $0["saucenao " + md5, default: 0] += 1 }
            let results = sauce[md5].map { "[\(Fixtures.saucenaoDanbooruResult(similarity: "97.1", danbooruID: $0, gelbooruID: nil))]" } ?? "null"
            return .json(Fixtures.saucenao(results: results, shortLimit: "200", longLimit: "10000", shortRemaining: 199, longRemaining: 9999))
        }
        fakes.on(.iqdb) { request in
            let md5 = FileDigest.hex(of: request.formParts.first { $0.name == "file" }?.data ?? Data(), algorithm: .md5)
            answered.withLock { $0["iqdb " + md5, default: 0] += 1 }
            return .html(Fixtures.iqdbNoMatch)
        }

        let reference = base + "/reference"
        try Self.makeRoot(reference, fakes: fakes)
        #expect(try Self.run(try freshDrop("reference"), root: reference) == 0)
        let expected = try Self.tree(reference)
        #expect(expected.count == 24)
        // Danbooru MD5 for 12, SauceNAO for 8, IQDB for 4, posts for 4.
        let distinctRequests = answered.withLock { $0.count }
        #expect(distinctRequests == 28)

        let points = [
            "scanned:2", "scanned:7", "analyzed:5", "looked-up:1", "looked-up:6", "looked-up:11", "sidecar-written:3", "organize-image-placed:1",
            "organize-image-placed:10", "organized:4", "organized:12",
        ]
        for (index, point) in points.enumerated() {
            answered.withLock { $0 = [:] }
            let killed = base + "/killed-\(index)"
            try Self.makeRoot(killed, fakes: fakes)
            let drop = try freshDrop("killed-\(index)")
            #expect(try Self.run(drop, root: killed, crashAt: point) == -SIGKILL, "\(point)")
            #expect(try Self.run(drop, root: killed) == 0, "\(point)")
            let asked = answered.withLock { $0 }
            #expect(asked.values.allSatisfy { $0 == 1 }, "\(point): asked twice: \(asked.filter { $0.value > 1 })")
            #expect(try Self.tree(killed) == expected, "\(point)")
            let leftovers = (FileManager.default.enumerator(atPath: killed + "/final")?.allObjects as? [String] ?? []).filter { $0.contains("sluice-tmp") }
            #expect(leftovers.isEmpty, "\(point)")
        }
    }

    /// A root whose images all wait in review (lookup off, `review: always`), in batches of 4.
    static func makeReviewRoot(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let yaml = """
            profile: library
            library:
              review: always
              batch_size: 4
              stages:
                lookup: false

            """
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path + "/sluice.yaml"))
    }

    /// Every entry under review/, each review folder with its files (dot names, staging folders included).
    static func reviewTree(_ root: String) throws -> [String: [String]] {
        let review = root + "/review"
        var result: [String: [String]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: review) {
            result[name] = ((try? FileManager.default.contentsOfDirectory(atPath: review + "/" + name)) ?? []).sorted()
        }
        return result
    }

    @Test func killedWhileBatchOneIsScannedOrAReviewFolderIsWrittenThenRerunMakesTheSameReviewFolders() async throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("library-kill-review-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: base) }
        let workspace = try LibraryWorkspace()
        for seed in 0..<10 { try workspace.image("img-\(seed).png", seed: UInt64(300 + seed), width: 32, height: 32) }
        func freshRoot(_ name: String) throws -> (root: String, drop: String) {
            let root = base + "/" + name
            try Self.makeReviewRoot(root)
            try FileManager.default.copyItem(atPath: workspace.drop, toPath: root + "/drop")
            return (root, root + "/drop")
        }

        let reference = try freshRoot("reference")
        #expect(try Self.run(reference.drop, root: reference.root) == 0)
        let expected = try Self.reviewTree(reference.root)
        #expect(expected.keys.sorted() == ["drop__batch-1", "drop__batch-2", "drop__batch-3"], "\(expected)")
        #expect(expected["drop__batch-3"]?.filter { $0.hasSuffix(".png") } == ["img-8.png", "img-9.png"])

        // Killed after 2 of batch 1's 4 images were scanned: its 2 others keep their batch on the rerun.
        let scanned = try freshRoot("killed-scanning")
        #expect(try Self.run(scanned.drop, root: scanned.root, crashAt: "scanned:2") == -SIGKILL)
        #expect(try Self.run(scanned.drop, root: scanned.root) == 0)
        #expect(try Self.reviewTree(scanned.root) == expected)

        // Killed while batch 2's folder was being written: the half-written staging folder is swept on the rerun.
        let writing = try freshRoot("killed-writing")
        #expect(try Self.run(writing.drop, root: writing.root, crashAt: "review-image-staged:6") == -SIGKILL)
        let halfWritten = try Self.reviewTree(writing.root)
        let staging = halfWritten.keys.filter { $0.hasPrefix(".drop__batch-2.tmp-") }
        #expect(staging.count == 1, "\(halfWritten)")
        #expect(halfWritten[staging.first ?? ""] == ["img-4.png", "img-4.png.tags.txt", "img-5.png"], "\(halfWritten)")
        #expect(try Self.run(writing.drop, root: writing.root) == 0)
        #expect(try Self.reviewTree(writing.root) == expected)
    }
}
