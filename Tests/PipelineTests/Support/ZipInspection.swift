import Foundation
import ZipArchive

/// Reads a zip back with the real `unzip` and with our reader, for assertions.
enum ZipInspection {
    /// `unzip -t` exit status and output.
    static func unzipTest(_ zip: URL) throws -> (ok: Bool, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-t", zip.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus == 0, String(decoding: data, as: UTF8.self))
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
