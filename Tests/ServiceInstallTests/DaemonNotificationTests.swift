import Foundation
import Glibc
import NotifySocketListener
import Testing

/// The real `sluice watch` against a real notify socket: READY, RELOADING, READY, STOPPING around SIGHUP and
/// SIGTERM, as systemd sees them with Type=notify.
///
/// Two roots in one daemon: one READY=1 once both are watched and reconciled, one RELOADING=1 and one READY=1 per
/// SIGHUP (a READY per root would show up here as a READY before the RELOADING).
@Suite struct DaemonNotificationTests {
    @Test
    func readyReloadingReadyStoppingAroundSighupAndSigterm() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanup() }
        let roots = [try scratch.folder("root-a"), try scratch.folder("root-b")]
        for root in roots { #expect(try ChildProcess.run(ChildProcess.sluiceExecutable, ["init", root]).status == 0) }
        let listener = try NotifySocketListener(directory: scratch.url)

        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: ChildProcess.sluiceExecutable)
        daemon.arguments = ["watch"] + roots
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
        let ready = started.first { $0.contains("READY=1") } ?? ""
        #expect(ready.contains("STATUS=root-a: 0 running, 0 waiting for you; root-b: 0 running"), "one summary of both roots: \(ready)")

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
