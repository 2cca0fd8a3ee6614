import Configuration
import Foundation
import Hashing
import HTTPClient
import ImageLookup
import Imaging
import Library
import LookupFakes
import LoopbackHTTPServer
import Synchronization
import XMPSidecar

/// A temporary Sluice root with a drop of generated images and loopback fakes that know some of them, removed at the end.
final class LibraryWorkspace: @unchecked Sendable {
    let root: String
    let drop: String
    let fakes: FakeServices
    let time = ManualTime()
    /// Requests per (service, image MD5) answered so far, to prove nothing answered is asked twice.
    private let uploadsByImage = Mutex<[String: Int]>([:])

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("library-\(UUID().uuidString)").path
        drop = root + "/inbox/pixiv dump"
        try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
        fakes = try FakeServices()
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Writes a generated PNG (bytes unique to `seed`) at `relativePath` in the drop; returns its MD5.
    @discardableResult
    func image(_ relativePath: String, seed: UInt64, width: Int = 96, height: Int = 128) throws -> String {
        let path = drop + "/" + relativePath
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let format: ImageFormat = relativePath.lowercased().hasSuffix(".png") ? .png : relativePath.lowercased().hasSuffix(".webp") ? .webp : .jpeg
        try ImageEncoder.write(PixelImage.pattern(width: width, height: height, seed: seed), as: format, to: path)
        return try FileDigest.hex(of: path, algorithm: .md5)
    }

    func write(_ text: String, to relativePath: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: drop + "/" + relativePath))
    }

    func config(review: SluiceConfig.LibraryReview = .auto) -> SluiceConfig {
        var config = SluiceConfig()
        config.library.review = review
        config.library.batchSize = 4
        var characters = SluiceConfig.CategoryRuleConfig(name: "characters", folder: "Characters/{character}")
        characters.has = ["character"]
        var fanart = SluiceConfig.CategoryRuleConfig(name: "fanart", folder: "Fanart/{copyright}")
        fanart.has = ["copyright"]
        config.library.categories = [characters, fanart]
        return config
    }

    func run(
        _ config: SluiceConfig, from: LibraryStage = .scan, to: LibraryStage = .sync, drop: String? = nil
    ) async throws -> RunReport {
        var settings = fakes.settings()
        settings.retry = RetryPolicy(maxAttempts: 1, baseDelay: .seconds(1), maxDelay: .seconds(1))
        try FileManager.default.createDirectory(atPath: root + "/.sluice", withIntermediateDirectories: true)
        let session = try LookupSession(settings: settings, cache: LookupCache(path: root + "/.sluice/lookup.sqlite"), time: time, jitter: { 0 })
        let options = LibraryRunOptions(drop: drop ?? self.drop, root: root, config: config, from: from, to: to)
        return try await LibraryRun(options: options, lookup: session, time: time, log: { _ in }).run().manifest()
    }

    /// Every file under final/, relative, sorted.
    func finalTree() -> [String] {
        let base = root + "/final"
        return (FileManager.default.enumerator(atPath: base)?.allObjects as? [String] ?? [])
            .filter { !FileManager.default.isDirectory(base + "/" + $0) }.sorted()
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
