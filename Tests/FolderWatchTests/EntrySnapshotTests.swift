import Foundation
import Testing

@testable import FolderWatch

@Suite struct EntrySnapshotTests {
    @Test func folderSnapshotListsEveryItemRecursivelyWithSizes() throws {
        let folder = try TemporaryFolder()
        let dataset = try folder.folder("dataset")
        try folder.file("dataset/a.png", bytes: 10)
        try folder.file("dataset/sub/deeper/b.txt", bytes: 3)
        try folder.file("dataset/.hidden", bytes: 1)
        try FileManager.default.createSymbolicLink(atPath: dataset.path + "/link", withDestinationPath: "/etc")
        let snapshot = try #require(EntrySnapshot.take(dataset))
        #expect(snapshot.items.map(\.path) == ["", ".hidden", "a.png", "link", "sub", "sub/deeper", "sub/deeper/b.txt"])
        #expect(snapshot.files.map(\.size) == [1, 10, 3])
        #expect(snapshot.items.first { $0.path == "link" }?.kind == .symbolicLink)
        #expect(snapshot.totalSize == 14)
    }

    @Test func appendingToAFileChangesTheSnapshot() throws {
        let folder = try TemporaryFolder()
        let file = try folder.file("a.png", bytes: 10)
        let before = try #require(EntrySnapshot.take(file))
        #expect(EntrySnapshot.take(file) == before)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data([1]))
        try handle.close()
        #expect(EntrySnapshot.take(file) != before)
        #expect(EntrySnapshot.take(file)?.items.map(\.path) == [""])
    }

    @Test func missingEntryHasNoSnapshot() throws {
        let folder = try TemporaryFolder()
        #expect(EntrySnapshot.take(folder.url.appendingPathComponent("gone")) == nil)
    }
}
