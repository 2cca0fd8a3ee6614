import Foundation
import Testing

/// A Sluice root in a fresh temporary folder, created by the real `sluice init`, with config overrides.
struct TestRoot {
    let url: URL

    init(config overrides: String = "") async throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-root-\(UUID().uuidString)")
        let result = try await SluiceProcess.run(["init", url.path], environment: ["HOME": url.path + "-home"])
        guard result.status == 0 else { throw TestFailure("sluice init failed: \(result.stderr)") }
        let config = url.appendingPathComponent("sluice.yaml")
        var text = try String(contentsOf: config, encoding: .utf8)
        text = Self.apply(overrides, to: text)
        try text.write(to: config, atomically: true, encoding: .utf8)
    }

    /// Replaces `section.key: value` lines in the commented default config (every key is present there).
    static func apply(_ overrides: String, to text: String) -> String {
        var lines = text.components(separatedBy: "\n")
        for override in overrides.split(separator: "\n") {
            let parts = override.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let path = parts[0].split(separator: ".").map(String.init)
            var section = ""
            for index in lines.indices {
                let line = lines[index]
                if !line.hasPrefix(" ") && line.hasSuffix(":") { section = String(line.dropLast()) }
                if section == path[0] && line.trimmingCharacters(in: .whitespaces).hasPrefix(path[1] + ":") {
                    let indent = String(line.prefix { $0 == " " })
                    lines[index] = "\(indent)\(path[1]): \(parts[1])"
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    func folder(_ name: String) -> URL { url.appendingPathComponent(name, isDirectory: true) }

    func remove() {
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.removeItem(atPath: url.path + "-home")
    }

    /// The final zips in final/.
    func finalZips() -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder("final").path)) ?? []
        return names.filter { $0.hasSuffix(".zip") && !$0.hasPrefix(".") }.sorted().map { folder("final").appendingPathComponent($0) }
    }

    func jobCount() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder(".sluice/jobs").path)) ?? []).filter { !$0.hasPrefix(".") }.count
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
