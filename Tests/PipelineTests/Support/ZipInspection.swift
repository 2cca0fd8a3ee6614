import Foundation
import ToolRun
import ZipArchive

/// Reads a zip back with the real `unzip` and with our reader, for assertions.
enum ZipInspection {
    /// `unzip -t` exit status and output.
    static func unzipTest(_ zip: URL) throws -> (ok: Bool, output: String) {
        let run = try ToolRun.run("unzip", ["-t", zip.path])
        return (run.status == 0, run.output)
    }

    /// Entry name → bytes.
    static func contents(of zip: URL) throws -> [String: [UInt8]] {
        let reader = try ZipReader(path: zip.path)
        var result: [String: [UInt8]] = [:]
        for entry in reader.entries where !entry.isDirectory {
            result[entry.name] = try reader.contents(of: entry)
        }
        return result
    }
}
