import Foundation
import Testing

@testable import FolderWatch

extension InotifyIntegration {
    @Suite struct FolderWatcherTests {
        typealias Hint = FolderWatcher.Hint

        func start(_ directories: [WatchedDirectory], pollInterval: Duration = .seconds(2)) throws
            -> (FolderWatcher, Recorder<Hint>)
        {
            let watcher = try FolderWatcher(.init(directories: directories, pollInterval: pollInterval))
            return (watcher, Recorder(watcher.hints))
        }

        func changedCount(_ hints: [Hint], _ directory: URL, _ entry: String) -> Int {
            hints.filter { $0 == .changed(directory: directory, topLevelEntry: entry) }.count
        }

        @Test func subdirectoriesCreatedLaterAreWatchedToo() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            let (watcher, hints) = try start([WatchedDirectory(inbox)])
            try folder.folder("inbox/dataset/a/b")
            #expect(await hints.wait(timeout: .seconds(5)) { changedCount($0, inbox, "dataset") >= 1 })
            let before = changedCount(hints.elements, inbox, "dataset")
            try folder.file("inbox/dataset/a/b/late.png")
            #expect(await hints.wait(timeout: .seconds(5)) { changedCount($0, inbox, "dataset") > before })
            watcher.stop()
        }

        @Test func treeMovedInOnTheSameFileSystemIsWatchedInside() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            try folder.file("outside/tree/x/y/old.png")
            let (watcher, hints) = try start([WatchedDirectory(inbox)])
            try FileManager.default.moveItem(
                at: folder.url.appendingPathComponent("outside/tree"), to: inbox.appendingPathComponent("tree"))
            #expect(await hints.wait(timeout: .seconds(5)) { changedCount($0, inbox, "tree") >= 1 })
            let before = changedCount(hints.elements, inbox, "tree")
            try folder.file("inbox/tree/x/y/new.png")
            #expect(await hints.wait(timeout: .seconds(5)) { changedCount($0, inbox, "tree") > before })
            watcher.stop()
        }

        @Test func subdirectoryMovedOutNoLongerReportsUnderItsOldName() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            try folder.file("inbox/gone/sub/a.png")
            try folder.folder("outside")
            let (watcher, hints) = try start([WatchedDirectory(inbox)])
            try FileManager.default.moveItem(
                at: inbox.appendingPathComponent("gone"), to: folder.url.appendingPathComponent("outside/gone"))
            #expect(await hints.wait(timeout: .seconds(5)) { changedCount($0, inbox, "gone") >= 1 })
            let before = changedCount(hints.elements, inbox, "gone")
            try folder.file("outside/gone/sub/b.png")
            try folder.file("inbox/later.png")
            #expect(await hints.wait(timeout: .seconds(5)) { changedCount($0, inbox, "later.png") >= 1 })
            #expect(changedCount(hints.elements, inbox, "gone") == before)
            watcher.stop()
        }

        @Test func burstOfEventsBecomesAFewHints() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            for index in 0..<200 { try folder.file("source/burst/\(index).png", bytes: 100) }
            let (watcher, hints) = try start([WatchedDirectory(inbox)])
            try run("/bin/cp", "-r", folder.url.appendingPathComponent("source/burst").path, inbox.path + "/")
            try folder.file("inbox/after.png")
            #expect(await hints.wait(timeout: .seconds(10)) { changedCount($0, inbox, "after.png") >= 1 })
            // 200 files make about 600 events (CREATE, MODIFY, CLOSE_WRITE); hints come once per 50 ms batch.
            #expect(changedCount(hints.elements, inbox, "burst") < 60)
            watcher.stop()
        }

        @Test func nonRecursiveDirectorySeesOnlyItsOwnEntries() async throws {
            let folder = try TemporaryFolder()
            let root = try folder.folder("root")
            try folder.folder("root/.sluice/jobs")
            let (watcher, hints) = try start([WatchedDirectory(root, recursive: false)])
            try folder.file("root/.sluice/jobs/job.json")
            try folder.file("root/PAUSE", bytes: 0)
            #expect(await hints.wait(timeout: .seconds(5)) { changedCount($0, root, "PAUSE") >= 1 })
            #expect(changedCount(hints.elements, root, ".sluice") == 0)
            watcher.stop()
        }

        @Test func deletedDirectoryIsRescannedWhenItComesBack() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            let (watcher, hints) = try start([WatchedDirectory(inbox)], pollInterval: .milliseconds(100))
            try FileManager.default.removeItem(at: inbox)
            let rescan = Hint.rescan(directory: inbox)
            #expect(await hints.wait(timeout: .seconds(5)) { $0.contains(rescan) })
            try folder.folder("inbox")
            #expect(await hints.wait(timeout: .seconds(5)) { $0.filter { $0 == rescan }.count >= 2 })
            try folder.file("inbox/back.png")
            #expect(await hints.wait(timeout: .seconds(5)) { changedCount($0, inbox, "back.png") >= 1 })
            watcher.stop()
        }

        @Test func forcedPollingTicksWithoutInotify() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            let (watcher, hints) = try start(
                [WatchedDirectory(inbox, forcePolling: true)], pollInterval: .milliseconds(50))
            #expect(watcher.polledDirectories == [inbox])
            try folder.file("inbox/a.png")
            #expect(await hints.wait(timeout: .seconds(5)) { $0.filter { $0 == .poll(directory: inbox) }.count >= 3 })
            #expect(!hints.elements.contains { if case .changed = $0 { true } else { false } })
            watcher.stop()
        }

        @Test func stopFinishesTheHintStream() async throws {
            let folder = try TemporaryFolder()
            let (watcher, hints) = try start([WatchedDirectory(try folder.folder("inbox"))])
            watcher.stop()
            #expect(await hints.waitForFinish(timeout: .seconds(5)))
        }

        @Test func droppingTheWatcherFinishesTheHintStream() async throws {
            let folder = try TemporaryFolder()
            var watcher: FolderWatcher? = try FolderWatcher(.init(directories: [WatchedDirectory(try folder.folder("inbox"))]))
            let hints = Recorder(watcher!.hints)
            watcher = nil
            #expect(await hints.waitForFinish(timeout: .seconds(5)))
            _ = watcher
        }
    }
}
