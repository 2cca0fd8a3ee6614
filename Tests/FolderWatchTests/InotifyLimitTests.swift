import Foundation
import SystemIO
import Testing

@testable import FolderWatch

extension InotifyIntegration {
    /// Lowers a per-user inotify limit for as short a time as possible, and always restores it.
    @Suite(.enabled(if: isRoot, "needs root to lower /proc/sys/fs/inotify limits for a moment"))
    struct InotifyLimitTests {
        @Test func queueOverflowIsFollowedByARescanThatFindsEverything() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            // The queue size is fixed when the instance is created, so only this detector gets the one-event queue:
            // any two events between two reads overflow it, however quickly the watcher reads.
            let previous = try setSysctl("fs.inotify.max_queued_events", to: 1)
            let detector: DropDetector
            do {
                defer { _ = try? setSysctl("fs.inotify.max_queued_events", to: previous) }
                detector = try DropDetector(.init(directories: [WatchedDirectory(inbox)], settlePeriod: .milliseconds(250)))
            }
            let events = Recorder(detector.events)
            let rescan = DropDetector.Event.hint(.rescan(directory: inbox))
            // Flood with `cp` (far faster than the watcher reads) until the queue overflows.
            var names: Set<String> = []
            for batch in 0..<20 where !events.elements.contains(rescan) {
                let source = try folder.folder("source-\(batch)")
                for index in 0..<500 { try folder.file("source-\(batch)/\(batch)-\(index).png", bytes: 32) }
                try run("/bin/cp", "-r", source.path + "/.", inbox.path)
                names.formUnion((0..<500).map { "\(batch)-\($0).png" })
                try folder.folder("inbox/nested-\(batch)/a/b")
                names.insert("nested-\(batch)")
                await events.wait(timeout: .milliseconds(500)) { $0.contains(rescan) }
            }
            #expect(events.elements.contains(rescan))
            #expect(await events.wait(timeout: .seconds(20)) { Set($0.settledNames) == names })
            #expect(events.elements.settledNames.count == names.count)

            // A folder created while events were lost is watched after the rescan.
            let nested = DropDetector.Event.hint(.changed(directory: inbox, topLevelEntry: "nested-0"))
            let before = events.elements.filter { $0 == nested }.count
            try folder.file("inbox/nested-0/a/b/late.png")
            #expect(await events.wait(timeout: .seconds(30)) { $0.filter { $0 == nested }.count > before })
            detector.stop()
        }

        @Test func runningOutOfWatchesAtStartNamesTheSysctlToRaise() throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            try folder.folder("inbox/a/b")
            let previous = try setSysctl("fs.inotify.max_user_watches", to: 1)
            defer { _ = try? setSysctl("fs.inotify.max_user_watches", to: previous) }
            #expect {
                _ = try FolderWatcher(.init(directories: [WatchedDirectory(inbox)]))
            } throws: { error in
                let message = "\(error)"
                return message.contains("fs.inotify.max_user_watches") && message.contains("sudo sysctl -w")
            }
        }

        @Test func runningOutOfWatchesLaterFallsBackToPollingAndStillFindsTheDrop() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            let detector = try DropDetector(
                .init(directories: [WatchedDirectory(inbox)], settlePeriod: .milliseconds(250), pollInterval: .milliseconds(100)))
            let events = Recorder(detector.events)
            let fellBack: ([DropDetector.Event]) -> Bool = { events in
                events.contains { if case .hint(.fellBackToPolling(_, let reason)) = $0 { reason.contains("max_user_watches") } else { false } }
            }
            do {
                let previous = try setSysctl("fs.inotify.max_user_watches", to: 1)
                defer { _ = try? setSysctl("fs.inotify.max_user_watches", to: previous) }
                try folder.folder("inbox/dataset/sub")
                #expect(await events.wait(timeout: .seconds(5), until: fellBack))
            }
            try folder.file("inbox/dataset/sub/1.png")
            #expect(await events.wait(timeout: .seconds(30)) { $0.settledNames == ["dataset"] })
            #expect(events.elements.settledDrops.first?.snapshot.files.count == 1)
            detector.stop()
        }
    }
}
