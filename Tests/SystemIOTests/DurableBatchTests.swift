import Foundation
import Glibc
import SystemIO
import Testing

@Suite struct DurableBatchTests {
    /// A fresh folder under the system temp folder (a real file system, so fsync and syncfs really run).
    final class Folder {
        let path: String

        init() throws {
            var template = Array((NSTemporaryDirectory() + "/sluice-durable-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else { throw SystemError("mkdtemp") }
            path = String(cString: made)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func write(_ name: String, _ text: String) throws {
            let url = URL(fileURLWithPath: path + "/" + name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }

        func read(_ name: String) throws -> String {
            String(decoding: try Data(contentsOf: URL(fileURLWithPath: path + "/" + name)), as: UTF8.self)
        }

        func names(_ sub: String = "") throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: sub.isEmpty ? path : path + "/" + sub).sorted()
        }

        func inode(_ name: String) -> UInt64 {
            var info = stat()
            stat(path + "/" + name, &info)
            return UInt64(info.st_ino)
        }
    }

    static let modes: [DurableBatch.Flush] = [.syncFileSystem, .fsyncEach, .renameOnly]

    @Test(arguments: modes) func everyFileIsReplacedAndNoTempIsLeft(flush: DurableBatch.Flush) throws {
        let folder = try Folder()
        try folder.write("a/old-0.txt", "before")
        let writes = (0..<200).map { index in
            DurableBatch.Write(path: folder.path + "/\(index % 2 == 0 ? "a" : "b/c")/old-\(index).txt", bytes: Array("new \(index)".utf8))
        }
        try FileManager.default.createDirectory(atPath: folder.path + "/b/c", withIntermediateDirectories: true)
        let outcomes = DurableBatch(flush: flush, threads: 3, syncFileSystemMinimum: 10).write(writes)
        #expect(outcomes.allSatisfy { $0 == nil })
        for index in 0..<200 {
            #expect(try folder.read("\(index % 2 == 0 ? "a" : "b/c")/old-\(index).txt") == "new \(index)")
        }
        #expect(try folder.names("a").count == 100)
        #expect(try folder.names("b/c").count == 100)
    }

    @Test func aTargetThatCannotBeWrittenFailsAloneAndTheOthersLand() throws {
        let folder = try Folder()
        try folder.write("keep.txt", "old")
        let writes = [
            DurableBatch.Write(path: folder.path + "/keep.txt", bytes: Array("new".utf8)),
            DurableBatch.Write(path: folder.path + "/missing-folder/x.txt", bytes: Array("lost".utf8)),
            DurableBatch.Write(path: folder.path + "/fresh.txt", bytes: Array("fresh".utf8)),
        ]
        let outcomes = DurableBatch(flush: .fsyncEach).write(writes)
        #expect(outcomes[0] == nil)
        #expect(outcomes[1]?.errno == ENOENT)
        #expect(outcomes[2] == nil)
        #expect(try folder.read("keep.txt") == "new")
        #expect(try folder.read("fresh.txt") == "fresh")
        #expect(try folder.names() == ["fresh.txt", "keep.txt"])
    }

    /// A rename onto a folder fails after the temp was written: the temp must not stay behind.
    @Test func aFailedRenameRemovesItsTemp() throws {
        let folder = try Folder()
        try FileManager.default.createDirectory(atPath: folder.path + "/occupied/inner", withIntermediateDirectories: true)
        let outcomes = DurableBatch(flush: .syncFileSystem, syncFileSystemMinimum: 0)
            .write([DurableBatch.Write(path: folder.path + "/occupied", bytes: [1, 2, 3])])
        #expect(outcomes[0]?.call == "rename")
        #expect(try folder.names() == ["occupied"])
    }

    /// Replacing keeps a hard link to the old file intact: this is how caption backups work.
    @Test func aHardLinkToTheOldFileKeepsTheOldBytes() throws {
        let folder = try Folder()
        try folder.write("caption.txt", "original")
        #expect(link(folder.path + "/caption.txt", folder.path + "/backup.txt") == 0)
        let before = folder.inode("caption.txt")
        let outcomes = DurableBatch(flush: .fsyncEach).write(
            [DurableBatch.Write(path: folder.path + "/caption.txt", bytes: Array("normalized".utf8))],
            flushingAlso: [folder.path + "/backup.txt"], syncingFirst: [folder.path])
        #expect(outcomes == [nil])
        #expect(try folder.read("caption.txt") == "normalized")
        #expect(try folder.read("backup.txt") == "original")
        #expect(folder.inode("backup.txt") == before)
        #expect(folder.inode("caption.txt") != before)
    }

    @Test func temporaryNamesHaveOneShortLengthWhateverTheTarget() throws {
        let folder = try Folder()
        let long = String(repeating: "n", count: 250) + ".txt"  // 254 bytes: a longer temp name would pass NAME_MAX
        let outcomes = DurableBatch().write([DurableBatch.Write(path: folder.path + "/" + long, bytes: [65])])
        #expect(outcomes == [nil])
        #expect(try folder.read(long) == "A")
        #expect(TemporaryName.isTemporary(TemporaryName.make()))
        #expect(!TemporaryName.isTemporary(".sluice-tmp-0123456789abc"))
        #expect(!TemporaryName.isTemporary("caption.txt"))
        #expect(try folder.names() == [long], "no temp left behind")
    }

    @Test func sweepRemovesOnlyLeftoverTemps() throws {
        let folder = try Folder()
        try folder.write(".sluice-tmp-0123456789abcdef", "half")
        try folder.write(".sluice-tmp-notatemp", "user file")
        try folder.write("a.txt", "keep")
        #expect(DurableBatch.sweepTemporaries(in: folder.path) == 1)
        #expect(try folder.names() == [".sluice-tmp-notatemp", "a.txt"])
    }

    @Test func anEmptyBatchDoesNothing() {
        #expect(DurableBatch().write([]).isEmpty)
    }
}
