import LoopbackHTTPServer
import Foundation
import Hashing
import HTTPClient
import ImageLookup

/// A temporary folder with image files and a lookup database, removed at the end.
struct LookupWorkspace: ~Copyable {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("imagelookup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var databasePath: String { directory.appendingPathComponent(".sluice/lookup.sqlite").path }

    /// Writes a file whose bytes are unique to `name`; returns its path.
    func image(_ name: String) throws -> String {
        let url = directory.appendingPathComponent("\(name).png")
        var bytes = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        bytes.append(Data("fake image \(name)".utf8))
        try bytes.write(to: url)
        return url.path
    }

    func md5(of path: String) throws -> String { try FileDigest.hex(of: path, algorithm: .md5) }

    func session(_ settings: LookupSettings, time: ManualTime) throws -> LookupSession {
        try LookupSession(settings: settings, cache: LookupCache(path: databasePath), time: time, jitter: { 0 })
    }
}
