import Foundation
import Glibc
import RsyncDaemon
import ToolRun

/// A temporary `final/` tree of generated image files (random bytes: rsync does not look inside) with sidecars.
struct SyncFixture {
    let base: String
    var final: String { base + "/final" }

    init() throws {
        base = NSTemporaryDirectory() + "sluice-sync-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: base + "/final", withIntermediateDirectories: true)
    }

    /// Writes `count` images of `bytes` each under `final/<category>/`, each with an `.xmp` sidecar; returns their paths.
    @discardableResult
    func addImages(_ count: Int, bytes: Int, category: String = "Fanart", prefix: String = "img") throws -> [String] {
        try FileManager.default.createDirectory(atPath: final + "/" + category, withIntermediateDirectories: true)
        var paths: [String] = []
        var generator = SystemRandomNumberGenerator()
        for index in 0..<count {
            let path = "\(category)/\(prefix)\(String(format: "%03d", index)).jpg"
            var data = Data(count: bytes)
            data.withUnsafeMutableBytes { raw in
                for offset in stride(from: 0, to: raw.count, by: 8) {
                    var value = generator.next()
                    withUnsafeBytes(of: &value) { word in
                        for byte in 0..<min(8, raw.count - offset) { raw[offset + byte] = word[byte] }
                    }
                }
            }
            try data.write(to: URL(fileURLWithPath: final + "/" + path))
            try Data("<x:xmpmeta>\(path)</x:xmpmeta>".utf8).write(to: URL(fileURLWithPath: final + "/" + path + ".xmp"))
            paths.append(path)
        }
        return paths
    }

    func write(_ text: String, to relative: String) throws {
        let url = URL(fileURLWithPath: final + "/" + relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Every regular file under `folder`, relative, sorted (dot-folders included, to catch what must not travel).
    static func files(under folder: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var info = stat()
            if lstat(folder + "/" + path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { files.append(path) }
        }
        return files.sorted()
    }

    func remove() { try? FileManager.default.removeItem(atPath: base) }
}


/// Runs a command to its end; returns its exit status and output.
@discardableResult
func shell(_ arguments: [String]) throws -> (Int32, String) {
    let run = try ToolRun.run(arguments[0], Array(arguments.dropFirst()))
    return (run.status, run.output)
}
