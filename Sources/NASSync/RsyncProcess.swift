import Foundation

/// One run of the rsync executable: its output lines as they come (progress lines end in `\r`), its exit.
struct RsyncProcess {
    enum Outcome: Equatable {
        case exited(Int32)
        case killed(signal: Int32)
    }

    var executable: String
    var arguments: [String]

    /// Runs rsync to the end, calling `line` for each output line and `started` with its pid; stderr is returned.
    func run(started: (Int32) -> Void, line: (Substring) -> Void) throws(SyncError) -> (Outcome, String) {
        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        // stderr goes to a file, so a chatty rsync can never block on a full pipe while stdout is read.
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-rsync-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        guard let errorHandle = try? FileHandle(forWritingTo: errorFile) else { throw .cannotStart("cannot create \(errorFile.path)") }
        process.standardError = errorHandle
        do { try process.run() } catch { throw .cannotStart("\(error.localizedDescription)") }
        try? errorHandle.close()
        started(process.processIdentifier)

        let reader = output.fileHandleForReading
        var pending = Data()
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            while let end = pending.firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                let text = String(decoding: pending[pending.startIndex..<end], as: UTF8.self)
                pending.removeSubrange(pending.startIndex...end)
                if !text.isEmpty { line(Substring(text)) }
            }
        }
        if !pending.isEmpty { line(Substring(String(decoding: pending, as: UTF8.self))) }
        process.waitUntilExit()
        let errors = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        let outcome: Outcome = process.terminationReason == .uncaughtSignal
            ? .killed(signal: process.terminationStatus) : .exited(process.terminationStatus)
        return (outcome, errors)
    }
}
