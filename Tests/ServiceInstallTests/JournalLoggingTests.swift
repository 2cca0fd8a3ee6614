import Foundation
import Glibc
import Testing

/// The real `sluice` logging a job to a stderr that `JOURNAL_STREAM` names, as systemd sets it up: every line has
/// the sd-daemon priority prefix and no timestamp; to any other stderr, the terminal format.
@Suite struct JournalLoggingTests {
    /// Runs the shipped example once with stderr in a file; `journal` sets JOURNAL_STREAM to that file's identity.
    private func runExample(journal: Bool, logLevel: String? = nil) throws -> String {
        let scratch = try ScratchFolder()
        defer { scratch.cleanup() }
        let root = scratch.path + "/root"
        #expect(try ChildProcess.run(ChildProcess.sluiceExecutable, ["init", root]).status == 0)
        let examples = ChildProcess.repository.appendingPathComponent("examples")
        try FileManager.default.removeItem(atPath: root + "/sluice.yaml")
        try FileManager.default.copyItem(atPath: examples.path + "/sluice.yaml", toPath: root + "/sluice.yaml")
        try FileManager.default.copyItem(atPath: examples.path + "/dataset/mika_example", toPath: root + "/inbox/mika_example")

        let stderrPath = scratch.path + "/stderr"
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        var information = stat()
        try #require(stat(stderrPath, &information) == 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ChildProcess.sluiceExecutable)
        process.arguments = ["run", root, "--once"] + (logLevel.map { ["--log-level", $0] } ?? [])
        var environment = ProcessInfo.processInfo.environment
        environment["JOURNAL_STREAM"] = journal ? "\(information.st_dev):\(information.st_ino)" : "1:1"
        environment["SLUICE_LOG_LEVEL"] = nil
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try String(contentsOfFile: stderrPath, encoding: .utf8)
    }

    @Test func underJournaldEveryLineHasAPriorityPrefixAndNoTimestamp() throws {
        let lines = try runExample(journal: true).split(separator: "\n")
        #expect(lines.count >= 3, "\(lines)")
        for line in lines {
            #expect(line.hasPrefix("<6>"), "\(line)")
            #expect(line.range(of: #"\d\d:\d\d:\d\d"#, options: .regularExpression) == nil, "a timestamp in \(line)")
        }
        #expect(lines.contains { $0.contains("indexed 6 images") })
    }

    @Test func elsewhereLinesStartWithTimeAndLevel() throws {
        let lines = try runExample(journal: false).split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            #expect(line.range(of: #"^\d\d:\d\d:\d\d INFO    "#, options: .regularExpression) != nil, "\(line)")
        }
    }

    @Test func logLevelWarningLeavesOutTheInfoLines() throws {
        #expect(try runExample(journal: true, logLevel: "warning").isEmpty)
    }
}
