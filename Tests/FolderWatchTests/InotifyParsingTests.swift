import Foundation
import SystemIO
import Testing

@Suite struct InotifyParsingTests {
    /// Lays out one `struct inotify_event` as the kernel does, the name NUL-padded to `paddedLength`.
    private func rawEvent(wd: Int32, mask: UInt32, cookie: UInt32, name: String, paddedLength: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        withUnsafeBytes(of: wd.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: mask.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: cookie.littleEndian) { bytes += $0 }
        withUnsafeBytes(of: UInt32(paddedLength).littleEndian) { bytes += $0 }
        var name = Array(name.utf8)
        name += [UInt8](repeating: 0, count: paddedLength - name.count)
        return bytes + name
    }

    @Test func eventsWithAndWithoutNamesAreParsedFromOneBuffer() {
        let moved = Inotify.Mask.movedTo.union(.isDirectory)
        let buffer =
            rawEvent(wd: 3, mask: moved.rawValue, cookie: 77, name: "dataset ä", paddedLength: 16)
            + rawEvent(wd: -1, mask: Inotify.Mask.queueOverflow.rawValue, cookie: 0, name: "", paddedLength: 0)
            + rawEvent(wd: 4, mask: Inotify.Mask.closeWrite.rawValue, cookie: 0, name: "a.png", paddedLength: 32)
        let events = Inotify.parse(buffer[...])
        #expect(
            events == [
                Inotify.Event(watch: Inotify.Watch(rawValue: 3), mask: moved, cookie: 77, name: "dataset ä"),
                Inotify.Event(watch: Inotify.Watch(rawValue: -1), mask: .queueOverflow, cookie: 0, name: ""),
                Inotify.Event(watch: Inotify.Watch(rawValue: 4), mask: .closeWrite, cookie: 0, name: "a.png"),
            ])
    }

    @Test func truncatedTrailingEventIsNotInvented() {
        let whole = rawEvent(wd: 1, mask: Inotify.Mask.create.rawValue, cookie: 0, name: "x", paddedLength: 16)
        let events = Inotify.parse((whole + whole.prefix(20))[...])
        #expect(events.map(\.name) == ["x"])
    }

    @Test(arguments: [
        (Inotify.Failure.watchLimitReached(path: "/data/inbox/a", limit: 8192), "fs.inotify.max_user_watches"),
        (Inotify.Failure.instanceLimitReached(limit: 128), "fs.inotify.max_user_instances"),
    ])
    func limitMessagesNameTheSysctlAndHowToRaiseIt(failure: Inotify.Failure, sysctl: String) {
        #expect(failure.description.contains(sysctl))
        #expect(failure.description.contains("sysctl -w \(sysctl)="))
        #expect(failure.description.contains("/etc/sysctl.d/"))
    }

    @Test func watchLimitMessageNamesThePath() {
        let failure = Inotify.Failure.watchLimitReached(path: "/data/inbox/a", limit: 8192)
        #expect(failure.description.contains("/data/inbox/a"))
        #expect(failure.description.contains("8192"))
    }

    @Test func waitReturnsWokenWhenAnotherThreadWakesIt() throws {
        let inotify = try Inotify()
        inotify.wake()
        #expect(try inotify.wait(timeoutMilliseconds: 5_000) == .woken)
        #expect(try inotify.wait(timeoutMilliseconds: 0) == .timedOut)
    }

    @Test func watchOnMissingDirectoryNamesIt() throws {
        let inotify = try Inotify()
        let missing = "/nonexistent-\(UUID().uuidString)"
        #expect {
            _ = try inotify.addWatch(path: missing, mask: [.create, .onlyDirectory])
        } throws: { error in
            "\(error)".contains(missing)
        }
    }
}
