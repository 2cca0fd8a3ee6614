import Foundation
import Glibc

/// The real `sluice` executable, run as a child process the way a user or systemd runs it.
final class SluiceProcess: @unchecked Sendable {
    let process = Process()
    private let stderrPipe = Pipe()
    private let stdoutPipe = Pipe()
    private let lock = NSLock()
    private var stderrText = ""
    private var stdoutText = ""

    /// The binary built next to the test bundle (swift test builds every product).
    static var executable: URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sluice"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sluice"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug/sluice"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    init(_ arguments: [String], environment extra: [String: String] = [:]) throws {
        process.executableURL = Self.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardError = stderrPipe
        process.standardOutput = stdoutPipe
        stderrPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self?.lock.withLock { self?.stderrText += text }
        }
        stdoutPipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let text = String(decoding: handle.availableData, as: UTF8.self)
            self?.lock.withLock { self?.stdoutText += text }
        }
        try process.run()
    }

    var stderr: String { lock.withLock { stderrText } }
    var stdout: String { lock.withLock { stdoutText } }

    /// Waits for exit with a deadline; kills the process if it overstays.
    @discardableResult
    func waitForExit(timeout: TimeInterval = 120) async -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? await Task.sleep(for: .milliseconds(50))  // let the pipe handlers drain
        return process.terminationStatus
    }

    var wasKilledBySignal: Bool { process.terminationReason == .uncaughtSignal }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Runs `sluice` to completion and returns its exit status, stdout and stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval = 300) async throws
        -> (status: Int32, stdout: String, stderr: String, killed: Bool)
    {
        let child = try SluiceProcess(arguments, environment: environment)
        let status = await child.waitForExit(timeout: timeout)
        return (status, child.stdout, child.stderr, child.wasKilledBySignal)
    }
}
