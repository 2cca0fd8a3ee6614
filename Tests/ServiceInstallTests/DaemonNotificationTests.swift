import Foundation
import Glibc
import NotifySocketListener
import Testing

/// The real `sluice watch` against a real notify socket: READY, RELOADING, READY, STOPPING around SIGHUP and
/// SIGTERM, as systemd sees them with Type=notify.
///
/// The daemon's calls to `ServiceNotification` are wired by the engine branch (CONTRACTS.md); until they are in
/// Sources/Pipeline this test is skipped, and it enables itself once they are.
@Suite struct DaemonNotificationTests {
    static let daemonSendsNotifications: Bool = {
        let pipeline = ChildProcess.repository.appendingPathComponent("Sources/Pipeline")
        let files = (FileManager.default.enumerator(atPath: pipeline.path)?.allObjects as? [String]) ?? []
        return files.contains { file in
            file.hasSuffix(".swift")
                && ((try? String(contentsOf: pipeline.appendingPathComponent(file), encoding: .utf8))?.contains("ServiceNotification.ready") ?? false)
        }
    }()

    @Test(.enabled(if: daemonSendsNotifications, "the daemon's sd_notify calls land with the engine branch (issue 10)"))
    func readyReloadingReadyStoppingAroundSighupAndSigterm() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanup() }
        let root = try scratch.folder("root")
        #expect(try ChildProcess.run(ChildProcess.sluiceExecutable, ["init", root]).status == 0)
        let listener = try NotifySocketListener(directory: scratch.url)

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: ChildProcess.sluiceExecutable)
        daemon.arguments = ["watch", root]
        var environment = ProcessInfo.processInfo.environment
        environment["NOTIFY_SOCKET"] = listener.address
        daemon.environment = environment
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }

        func kinds(_ messages: [String]) -> [String] {
            messages.compactMap { message in
                ["READY=1", "RELOADING=1", "STOPPING=1"].first { message.split(separator: "\n").contains(Substring($0)) }
            }
        }
        let started = listener.receive(until: { $0.contains("READY=1") }, timeout: 60)
        #expect(kinds(started) == ["READY=1"], "\(started)")

        kill(daemon.processIdentifier, SIGHUP)
        let reloaded = listener.receive(until: { $0.contains("READY=1") }, timeout: 60)
        #expect(kinds(reloaded) == ["RELOADING=1", "READY=1"], "\(reloaded)")
        #expect(reloaded.first { $0.contains("RELOADING=1") }?.contains("MONOTONIC_USEC=") == true)

        kill(daemon.processIdentifier, SIGTERM)
        let stopped = listener.receive(until: { $0.contains("STOPPING=1") }, timeout: 60)
        #expect(kinds(stopped) == ["STOPPING=1"], "\(stopped)")
        let deadline = Date().addingTimeInterval(30)
        while daemon.isRunning && Date() < deadline { usleep(20_000) }
        #expect(!daemon.isRunning)
        if !daemon.isRunning { #expect(daemon.terminationStatus == 0) }
    }
}
