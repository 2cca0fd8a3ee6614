import Foundation
import Glibc
import Testing
@testable import SystemIO

/// A fresh temporary folder, removed when the test ends.
final class ScratchFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "sluice-systemio-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }

    func link(_ name: String, to target: String) {
        try! FileManager.default.createSymbolicLink(atPath: path + "/" + name, withDestinationPath: target)
    }
}

@Suite struct RegularFileReaderTests {
    @Test func readsARegularFile() throws {
        let folder = ScratchFolder()
        let file = folder.write("a.xmp", "hello")
        #expect(try RegularFileReader.read(file, maxBytes: 100) == Data("hello".utf8))
    }

    @Test func fifoIsRefusedWithoutBlocking() throws {
        let folder = ScratchFolder()
        let fifo = folder.path + "/pipe.xmp"
        #expect(mkfifo(fifo, 0o600) == 0)
        let error = #expect(throws: FileReadError.self) { try RegularFileReader.read(fifo, maxBytes: 100) }
        guard case .notRegularFile(_, let kind) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(kind.contains("FIFO"))
    }

    @Test func devZeroIsRefused() {
        let error = #expect(throws: FileReadError.self) { try RegularFileReader.read("/dev/zero", maxBytes: 1 << 20) }
        guard case .notRegularFile(_, let kind) = error else { Issue.record("\(String(describing: error))"); return }
        #expect(kind == "a character device")
    }

    @Test func fileOverTheCapIsRefused() {
        let folder = ScratchFolder()
        let file = folder.write("big", String(repeating: "x", count: 5000))
        #expect(throws: FileReadError.tooLarge(path: file, size: 5000, limit: 4096)) {
            try RegularFileReader.read(file, maxBytes: 4096)
        }
    }

    @Test func symlinkIsRefusedUnlessFollowingIsAsked() throws {
        let folder = ScratchFolder()
        folder.link("passwd.xmp", to: "/etc/passwd")
        let link = folder.path + "/passwd.xmp"
        #expect(throws: FileReadError.notRegularFile(path: link, kind: "a symbolic link")) {
            try RegularFileReader.read(link, maxBytes: 1 << 20)
        }
        #expect(try RegularFileReader.read(link, maxBytes: 1 << 20, followSymlinks: true).count > 0)
    }
}

@Suite struct TemporaryNameTests {
    @Test func namesAreFixedLengthAndRecognised() {
        let names = (0..<200).map { _ in TemporaryName.make() }
        #expect(names.allSatisfy { $0.utf8.count == TemporaryName.length && TemporaryName.isTemporary($0) })
        #expect(Set(names).count == names.count)
        #expect(!TemporaryName.isTemporary(".job.json.tmp-12-34"))
        #expect(!TemporaryName.isTemporary("a.jpg"))
    }

    @Test func atomicWriteWorksForA255ByteName() throws {
        let folder = ScratchFolder()
        let name = String(repeating: "n", count: 251) + ".txt"
        #expect(name.utf8.count == 255)
        let url = URL(fileURLWithPath: folder.path + "/" + name)
        try FileOperations.writeAtomically(Data("1girl".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "1girl")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [name])
    }
}

@Suite struct LogSafeNameTests {
    @Test(arguments: [
        ("plain.jpg", "plain.jpg"),
        ("evil\n2026-01-01 INFO job done.jpg", "evil\\n2026-01-01 INFO job done.jpg"),
        ("a\u{1B}[2Jb", "a\\u{1B}[2Jb"),
        ("nul\u{0}.txt", "nul\\u{0}.txt"),
        ("back\\slash", "back\\\\slash"),
        ("c1\u{85}x\u{2028}", "c1\\u{85}x\\u{2028}"),
        ("日本語.png", "日本語.png"),
    ])
    func controlCharactersAreEscaped(name: String, expected: String) {
        #expect(LogSafeName.escaped(name) == expected)
        #expect(!LogSafeName.escaped(name).unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func aWholeMessageBecomesOneLineWithItsBackslashesKept() {
        #expect(LogSafeName.oneLine("left out a\\b.png: x\nFORGED") == "left out a\\b.png: x\\nFORGED")
        #expect(LogSafeName.oneLine("a\\b") == "a\\b")
        #expect(LogSafeName.oneLine(LogSafeName.escaped("e\nvil")) == LogSafeName.escaped("e\nvil"))
    }
}

@Suite struct FileCloneTests {
    @Test func cloneIsAnIndependentInode() throws {
        let folder = ScratchFolder()
        let source = folder.write("original.png", String(repeating: "pixels", count: 100_000))
        let copy = folder.path + "/review.png"
        let method = try FileClone.cloneOrCopy(from: source, to: copy)
        var a = stat(), b = stat()
        #expect(stat(source, &a) == 0 && stat(copy, &b) == 0)
        #expect(a.st_ino != b.st_ino)
        #expect(b.st_nlink == 1 && a.st_nlink == 1)
        #expect(FileManager.default.contentsEqual(atPath: source, andPath: copy))
        // Editing the copy (as an image editor would, in place) leaves the original alone.
        let handle = try #require(FileHandle(forWritingAtPath: copy))
        try handle.write(contentsOf: Data("EDITED".utf8))
        try handle.close()
        #expect(try String(contentsOfFile: source, encoding: .utf8).hasPrefix("pixels"))
        #expect([.reflink, .copy].contains(method))
    }

    @Test func existingDestinationAndSymlinkSourceAreRefused() throws {
        let folder = ScratchFolder()
        let source = folder.write("a.png", "a")
        let existing = folder.write("b.png", "b")
        #expect(throws: SystemError.self) { try FileClone.cloneOrCopy(from: source, to: existing) }
        folder.link("link.png", to: "/etc/passwd")
        #expect(throws: SystemError.self) { try FileClone.cloneOrCopy(from: folder.path + "/link.png", to: folder.path + "/c.png") }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/c.png"))
    }

    @Test func emptyFileIsCopied() throws {
        let folder = ScratchFolder()
        let source = folder.write("empty.txt", "")
        try FileClone.cloneOrCopy(from: source, to: folder.path + "/copy.txt")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/copy.txt")).isEmpty)
    }
}

@Suite struct SafeDirectoryWalkerTests {
    @Test func symlinksAreReportedWithTheirTargetAndNeverFollowed() throws {
        let folder = ScratchFolder()
        _ = folder.write("drop/a.jpg", "a")
        _ = folder.write("drop/sub/b.txt", "b")
        folder.link("drop/loop", to: ".")
        folder.link("drop/passwd.txt", to: "/etc/passwd")
        folder.link("drop/sub/up", to: "../..")
        let entries = try SafeDirectoryWalker().walk(folder.path + "/drop")
        let byPath = Dictionary(uniqueKeysWithValues: entries.map { ($0.relativePath, $0.kind) })
        #expect(byPath == [
            "a.jpg": .file(size: 1), "loop": .symlink(target: "."), "passwd.txt": .symlink(target: "/etc/passwd"),
            "sub": .directory, "sub/b.txt": .file(size: 1), "sub/up": .symlink(target: "../.."),
        ])
    }

    @Test func rootThatIsASymlinkIsRefused() {
        let folder = ScratchFolder()
        folder.link("drop", to: "/etc")
        #expect(throws: SafeDirectoryWalker.Failure.self) { try SafeDirectoryWalker().walk(folder.path + "/drop") }
    }

    @Test func depthAndCountAreCapped() {
        let folder = ScratchFolder()
        _ = folder.write("drop/" + Array(repeating: "d", count: 6).joined(separator: "/") + "/x.jpg", "x")
        #expect(throws: SafeDirectoryWalker.Failure.tooDeep(path: folder.path + "/drop/d/d/d", limit: 3)) {
            try SafeDirectoryWalker(maxDepth: 3).walk(folder.path + "/drop")
        }
        for index in 0..<20 { _ = folder.write("many/\(index).jpg", "") }
        #expect(throws: SafeDirectoryWalker.Failure.tooManyEntries(root: folder.path + "/many", limit: 10)) {
            try SafeDirectoryWalker(maxEntries: 10).walk(folder.path + "/many")
        }
    }

    @Test func nonUTF8NamesAreFlagged() throws {
        let folder = ScratchFolder()
        _ = folder.write("drop/ok.jpg", "a")
        let raw: [CChar] = Array((folder.path + "/drop/").utf8CString.dropLast()) + [0x62, -1, 0x2E, 0x6A, 0x70, 0x67, 0]
        let fd = open(raw, O_CREAT | O_WRONLY | O_CLOEXEC, 0o644)
        #expect(fd >= 0)
        close(fd)
        let entries = try SafeDirectoryWalker().walk(folder.path + "/drop")
        #expect(entries.map(\.hasValidUTF8Name) == [false, true])
        #expect(entries[0].relativePath == "b\u{FFFD}.jpg")
    }

    @Test func hardLinkedFilesShowTheirLinkCount() throws {
        let folder = ScratchFolder()
        let original = folder.write("drop/a.jpg", "a")
        #expect(link(original, folder.path + "/drop/b.jpg") == 0)
        let entries = try SafeDirectoryWalker().walk(folder.path + "/drop")
        #expect(entries.map(\.linkCount) == [2, 2])
    }

    @Test func openRegularFileRefusesASymlinkAnywhereOnThePath() throws {
        let folder = ScratchFolder()
        _ = folder.write("drop/sub/a.txt", "a")
        folder.link("drop/alias", to: "sub")
        folder.link("drop/passwd.txt", to: "/etc/passwd")
        let fd = try SafeDirectoryWalker.openRegularFile(root: folder.path + "/drop", relativePath: "sub/a.txt")
        close(fd)
        #expect(throws: SystemError.self) {
            try SafeDirectoryWalker.openRegularFile(root: folder.path + "/drop", relativePath: "alias/a.txt")
        }
        #expect(throws: SystemError.self) {
            try SafeDirectoryWalker.openRegularFile(root: folder.path + "/drop", relativePath: "passwd.txt")
        }
        #expect(throws: SystemError.self) {
            try SafeDirectoryWalker.openRegularFile(root: folder.path + "/drop", relativePath: "../drop/sub/a.txt")
        }
    }
}
