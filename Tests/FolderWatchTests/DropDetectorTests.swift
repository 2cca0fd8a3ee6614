import Foundation
import Testing

@testable import FolderWatch

extension InotifyIntegration {
    @Suite struct DropDetectorTests {
        static let settle = Duration.milliseconds(250)

        func start(
            _ directories: [WatchedDirectory], hintOnly: [WatchedDirectory] = [], filter: DropFilter = DropFilter(),
            pollInterval: Duration = .seconds(2)
        ) throws -> (DropDetector, Recorder<DropDetector.Event>) {
            let detector = try DropDetector(
                .init(
                    directories: directories, hintOnlyDirectories: hintOnly, settlePeriod: Self.settle, filter: filter,
                    pollInterval: pollInterval))
            return (detector, Recorder(detector.events))
        }

        /// Waits long enough for a second, wrong report to show up (several settle periods).
        func quietWhile() async { try? await Task.sleep(for: Self.settle * 4) }

        @Test func folderMovedInSettlesExactlyOnce() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            for index in 0..<20 { try folder.file("outside/dataset/\(index).png", bytes: 1000 + index) }
            try folder.file("outside/dataset/captions/0.txt", bytes: 30)
            let (detector, events) = try start([WatchedDirectory(inbox)])
            try FileManager.default.moveItem(
                at: folder.url.appendingPathComponent("outside/dataset"), to: inbox.appendingPathComponent("dataset"))
            #expect(await events.wait(timeout: .seconds(30)) { $0.settledNames == ["dataset"] })
            let drop = try #require(events.elements.settledDrops.first)
            #expect(drop.directory == inbox)
            #expect(drop.url == inbox.appendingPathComponent("dataset"))
            #expect(drop.snapshot.files.count == 21)
            await quietWhile()
            #expect(events.elements.settledNames == ["dataset"])
            detector.stop()
        }

        @Test func slowCopyIsNotSettledBeforeItsLastWritePlusTheSettlePeriod() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            let (detector, events) = try start([WatchedDirectory(inbox)])
            // A copy across file systems: CREATE, writes, CLOSE_WRITE per file, slowly, over about three seconds.
            let dataset = try folder.folder("inbox/dataset")
            let chunk = Data(repeating: 0x42, count: 4096)
            var lastWrite = ContinuousClock.now
            for index in 0..<6 {
                _ = FileManager.default.createFile(atPath: dataset.appendingPathComponent("\(index).png").path, contents: nil)
                let handle = try FileHandle(forWritingTo: dataset.appendingPathComponent("\(index).png"))
                for _ in 0..<5 {
                    try handle.write(contentsOf: chunk)
                    try await Task.sleep(for: .milliseconds(100))
                }
                try handle.close()
                lastWrite = .now
            }
            #expect(await events.wait(timeout: .seconds(30)) { !$0.settledDrops.isEmpty })
            let settled = events.stamped.filter { $0.element.settledDrop != nil }
            #expect(settled.count == 1)
            let first = try #require(settled.first)
            #expect(first.at >= lastWrite.advanced(by: Self.settle))
            #expect(first.element.settledDrop?.snapshot.files.map(\.size) == Array(repeating: 5 * 4096, count: 6))
            await quietWhile()
            #expect(events.elements.settledNames == ["dataset"])
            detector.stop()
        }

        @Test func dropPresentBeforeStartIsFoundByTheStartupScan() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            try folder.file("inbox/old-dataset/1.png")
            try folder.file("inbox/loose.png")
            let (detector, events) = try start([WatchedDirectory(inbox)])
            #expect(await events.wait(timeout: .seconds(30)) { Set($0.settledNames) == ["old-dataset", "loose.png"] })
            await quietWhile()
            #expect(events.elements.settledNames.count == 2)
            detector.stop()
        }

        @Test func browserTemporaryNamesAreIgnoredUntilRenamed() async throws {
            let folder = try TemporaryFolder()
            let downloads = try folder.folder("downloads")
            let (detector, events) = try start([WatchedDirectory(downloads)])
            try folder.file("downloads/result.zip.crdownload", bytes: 5000)
            try folder.file("downloads/.hidden.zip", bytes: 10)
            // Firefox: an empty final name beside its growing .part twin.
            try folder.file("downloads/other.zip", bytes: 0)
            try folder.file("downloads/other.zip.part", bytes: 7000)
            let held = DropDetector.Event.held(
                directory: downloads, entry: "other.zip",
                reason: "\(downloads.path)/other.zip is empty while \(downloads.path)/other.zip.part is still being written")
            #expect(await events.wait(timeout: .seconds(30)) { $0.contains(held) })
            await quietWhile()
            #expect(events.elements.settledDrops.isEmpty)

            try FileManager.default.moveItem(
                at: downloads.appendingPathComponent("result.zip.crdownload"), to: downloads.appendingPathComponent("result.zip"))
            try FileManager.default.removeItem(at: downloads.appendingPathComponent("other.zip"))
            try FileManager.default.moveItem(
                at: downloads.appendingPathComponent("other.zip.part"), to: downloads.appendingPathComponent("other.zip"))
            #expect(await events.wait(timeout: .seconds(30)) { Set($0.settledNames) == ["result.zip", "other.zip"] })
            let sizes = Dictionary(uniqueKeysWithValues: events.elements.settledDrops.map { ($0.entry, $0.snapshot.totalSize) })
            #expect(sizes == ["result.zip": 5000, "other.zip": 7000])
            detector.stop()
        }

        @Test func emptyFileIsReleasedWhenItsPartTwinIsDeleted() async throws {
            let folder = try TemporaryFolder()
            let downloads = try folder.folder("downloads")
            try folder.file("downloads/cancelled.zip", bytes: 0)
            try folder.file("downloads/cancelled.zip.part", bytes: 10)
            let (detector, events) = try start([WatchedDirectory(downloads)])
            #expect(await events.wait(timeout: .seconds(30)) { $0.contains { if case .held = $0 { true } else { false } } })
            try FileManager.default.removeItem(at: downloads.appendingPathComponent("cancelled.zip.part"))
            #expect(await events.wait(timeout: .seconds(30)) { $0.settledNames == ["cancelled.zip"] })
            detector.stop()
        }

        @Test func fiveThousandLooseFilesDroppedAtOnceAreAllSeen() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            let source = try folder.folder("source")
            for index in 0..<5000 { try folder.file("source/\(index).png", bytes: 64) }
            let (detector, events) = try start([WatchedDirectory(inbox)])
            try run("/bin/cp", "-r", source.path + "/.", inbox.path)
            #expect(await events.wait(timeout: .seconds(30)) { Set($0.settledNames).count == 5000 })
            await quietWhile()
            #expect(events.elements.settledNames.count == 5000)
            detector.stop()
        }

        @Test func folderOfFiveThousandFilesCopiedInSettlesWithAllOfThem() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            for index in 0..<5000 { try folder.file("source/big/\(index % 10)/\(index).png", bytes: 64) }
            let (detector, events) = try start([WatchedDirectory(inbox)])
            try run("/bin/cp", "-r", folder.url.appendingPathComponent("source/big").path, inbox.path + "/")
            #expect(await events.wait(timeout: .seconds(30)) { !$0.settledDrops.isEmpty })
            #expect(events.elements.settledDrops.map(\.entry) == ["big"])
            #expect(events.elements.settledDrops.first?.snapshot.files.count == 5000)
            detector.stop()
        }

        @Test func forcedPollingDetectsADrop() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            let (detector, events) = try start(
                [WatchedDirectory(inbox, forcePolling: true)], pollInterval: .milliseconds(100))
            #expect(detector.polledDirectories == [inbox])
            try folder.file("inbox/dataset/1.png")
            try folder.file("inbox/dataset/2.png")
            #expect(await events.wait(timeout: .seconds(30)) { $0.settledNames == ["dataset"] })
            #expect(events.elements.settledDrops.first?.snapshot.files.count == 2)
            await quietWhile()
            #expect(events.elements.settledNames == ["dataset"])
            detector.stop()
        }

        @Test func hintOnlyDirectoriesPassMarkersOnWithoutSettling() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            let review = try folder.folder("review")
            try folder.folder("review/dataset")
            let (detector, events) = try start([WatchedDirectory(inbox)], hintOnly: [WatchedDirectory(review)])
            try folder.file("review/dataset/RESUME", bytes: 0)
            let hint = DropDetector.Event.hint(.changed(directory: review, topLevelEntry: "dataset"))
            #expect(await events.wait(timeout: .seconds(30)) { $0.contains(hint) })
            await quietWhile()
            #expect(events.elements.settledDrops.isEmpty)
            detector.stop()
        }

        @Test func entryTakenAwayBeforeSettlingIsNeverReported() async throws {
            let folder = try TemporaryFolder()
            let inbox = try folder.folder("inbox")
            try folder.folder("elsewhere")
            let (detector, events) = try start([WatchedDirectory(inbox)])
            try folder.file("inbox/fleeting/1.png")
            try FileManager.default.moveItem(
                at: inbox.appendingPathComponent("fleeting"), to: folder.url.appendingPathComponent("elsewhere/fleeting"))
            try folder.file("inbox/stays.png")
            #expect(await events.wait(timeout: .seconds(30)) { $0.settledNames.contains("stays.png") })
            await quietWhile()
            #expect(events.elements.settledNames == ["stays.png"])
            detector.stop()
        }

        @Test func stoppingFinishesTheEventStream() async throws {
            let folder = try TemporaryFolder()
            let (detector, events) = try start([WatchedDirectory(try folder.folder("inbox"))])
            detector.stop()
            #expect(await events.waitForFinish(timeout: .seconds(5)))
        }
    }
}
