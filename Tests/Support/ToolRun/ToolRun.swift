import Foundation

/// The result of running a real command-line tool (unzip, rsync, …) in a test: its exit status and combined output.
public struct ToolRun: Sendable {
    public let status: Int32
    public let output: String

    /// Runs `executable` (found on PATH) with `arguments` to its end, collecting stdout and stderr together.
    public static func run(_ executable: String, _ arguments: [String], in directory: String? = nil) throws -> ToolRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolRun(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}
