import Foundation
import Glibc
import NotifySocketListener
import Testing
@testable import SystemIO

/// sd_notify datagrams against a real Unix datagram socket. Serialized: the public calls read the process-wide
/// `NOTIFY_SOCKET`, which these tests set.
@Suite(.serialized) struct ServiceNotificationTests {
    @Test(arguments: [true, false])
    func eachCallSendsItsExactPayload(abstractSocket: Bool) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-notify-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let listener = try NotifySocketListener(directory: abstractSocket ? nil : folder)
        setenv("NOTIFY_SOCKET", listener.address, 1)
        defer { unsetenv("NOTIFY_SOCKET") }

        ServiceNotification.ready(status: "watching 1 root")
        #expect(listener.receive(timeout: 5) == "READY=1\nSTATUS=watching 1 root")

        var before = timespec()
        clock_gettime(CLOCK_MONOTONIC, &before)
        ServiceNotification.reloading()
        var after = timespec()
        clock_gettime(CLOCK_MONOTONIC, &after)
        let reloading = try #require(listener.receive(timeout: 5))
        let lines = reloading.split(separator: "\n")
        #expect(lines.count == 2 && lines[0] == "RELOADING=1")
        let microseconds = try #require(lines.last.flatMap { $0.hasPrefix("MONOTONIC_USEC=") ? UInt64($0.dropFirst(15)) : nil })
        #expect(microseconds >= UInt64(before.tv_sec) * 1_000_000 + UInt64(before.tv_nsec) / 1000)
        #expect(microseconds <= UInt64(after.tv_sec) * 1_000_000 + UInt64(after.tv_nsec) / 1000)

        ServiceNotification.status("2 jobs running, 1 waiting for you")
        #expect(listener.receive(timeout: 5) == "STATUS=2 jobs running, 1 waiting for you")
        ServiceNotification.stopping()
        #expect(listener.receive(timeout: 5) == "STOPPING=1")
    }

    @Test func aStatusCannotInjectAnotherAssignment() throws {
        let listener = try NotifySocketListener(directory: nil)
        setenv("NOTIFY_SOCKET", listener.address, 1)
        defer { unsetenv("NOTIFY_SOCKET") }
        ServiceNotification.status("line one\nREADY=1")
        #expect(listener.receive(timeout: 5) == "STATUS=line one READY=1")
    }

    @Test func withoutNotifySocketNothingIsSent() throws {
        unsetenv("NOTIFY_SOCKET")
        ServiceNotification.ready(status: "x")
        ServiceNotification.stopping()
        #expect(ServiceNotification.send("READY=1", socketPath: nil) == false)
        #expect(ServiceNotification.send("READY=1", socketPath: "") == false)
        #expect(ServiceNotification.send("READY=1", socketPath: "relative/path") == false)
        #expect(ServiceNotification.send("READY=1", socketPath: "/" + String(repeating: "a", count: 200)) == false)
    }

    @Test func aSocketNobodyListensOnIsIgnored() {
        #expect(ServiceNotification.send("READY=1", socketPath: "/nonexistent/notify.sock") == false)
    }
}
