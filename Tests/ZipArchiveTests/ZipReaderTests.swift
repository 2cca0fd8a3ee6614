import Foundation
import Testing

@testable import ZipArchive

/// Builds archives with Python's zipfile, which writes whatever names and attributes it is given.
private func pythonZip(_ script: String, to path: String) throws {
    let program = """
        import sys, zipfile
        out = sys.argv[1]
        z = zipfile.ZipFile(out, 'w')
        \(script.split(separator: "\n").joined(separator: "\n"))
        z.close()
        """
    let run = try runTool("python3", ["-c", program, path])
    guard run.status == 0 else { throw ToolFailure(output: run.output) }
}

private struct ToolFailure: Error { let output: String }

/// Patches `bytes` into a file at `offset`.
private func patch(_ path: String, at offset: Int, _ bytes: [UInt8]) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
}

private func littleEndian32(_ value: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
}

@Suite("ZipReader")
struct ZipReaderTests {
    @Test func zipMadeByInfoZipExtractsCompletely() throws {
        let folder = try TemporaryFolder()
        try folder.write("data/set/001.png", noise(count: 50_000, seed: 1))
        try folder.write("data/set/001.txt", Array("blue sky, cloud, cloud, cloud".utf8))
        try folder.write("data/set/deep/002.jpg", noise(count: 10, seed: 2))
        let made = try runTool("zip", ["-qr", folder.file("in.zip"), "set"], in: folder.file("data"))
        #expect(made.status == 0)

        let reader = try ZipReader(path: folder.file("in.zip"))
        #expect(reader.entries.contains { $0.name == "set/deep/" && $0.isDirectory })
        let files = try reader.extractAll(into: folder.file("out"))
        #expect(Set(files) == ["set/001.png", "set/001.txt", "set/deep/002.jpg"])
        #expect(try folder.contents(of: "out/set/001.png") == noise(count: 50_000, seed: 1))
        #expect(try folder.contents(of: "out/set/001.txt") == Array("blue sky, cloud, cloud, cloud".utf8))
        #expect(try folder.list() == ["data", "in.zip", "out"])
    }

    @Test func truncatedArchiveIsNotComplete() throws {
        let folder = try TemporaryFolder()
        try pythonZip("z.writestr('a.png', b'x' * 100000)", to: folder.file("full.zip"))
        let bytes = try folder.contents(of: "full.zip")
        try folder.write("cut.zip", Array(bytes.prefix(bytes.count - 30)))
        #expect(ZipReader.isComplete(folder.file("full.zip")))
        #expect(!ZipReader.isComplete(folder.file("cut.zip")))
        do {
            _ = try ZipReader(path: folder.file("cut.zip"))
            Issue.record("a truncated archive was read")
        } catch {
            #expect(error == .notComplete(file: folder.file("cut.zip")))
            #expect(error.description == "not a complete zip: \(folder.file("cut.zip")) (wait for the download to finish, or download it again)")
        }
    }

    @Test func emptyAndNonZipFilesAreNotComplete() throws {
        let folder = try TemporaryFolder()
        try folder.write("empty.zip", [])
        try folder.write("text.zip", Array("hello, this is not a zip".utf8))
        #expect(!ZipReader.isComplete(folder.file("empty.zip")))
        #expect(!ZipReader.isComplete(folder.file("text.zip")))
        #expect(!ZipReader.isComplete(folder.file("missing.zip")))
    }

    /// Each hostile archive is refused with its reason, and nothing appears beside it.
    @Test(arguments: [
        ("z.writestr('../evil.txt', b'owned')", "outside the destination"),
        ("z.writestr('/tmp/abs-evil.txt', b'owned')", "outside the destination"),
        ("z.writestr('ok/..\\\\..\\\\evil.txt', b'owned')", "outside the destination"),
        ("z.writestr('C:/evil.txt', b'owned')", "outside the destination"),
        ("z.writestr('a/./b.txt', b'owned')", "outside the destination"),
        ("i = zipfile.ZipInfo('link')\ni.create_system = 3\ni.external_attr = 0o120777 << 16\nz.writestr(i, '/etc/passwd')", "symbolic link"),
        ("i = zipfile.ZipInfo('fifo')\ni.create_system = 3\ni.external_attr = 0o010644 << 16\nz.writestr(i, '')", "symbolic link or special"),
        ("z.writestr('a.txt', b'1')\nz.writestr('a.txt', b'2')", "more than once"),
        ("z.writestr('bomb.bin', b'\\0' * (20 << 20), compress_type=zipfile.ZIP_DEFLATED)", "expands more than"),
        ("[z.writestr('f%d' % i, b'') for i in range(60000)]", "exceed the limit of 50000"),
        ("z.writestr('x.bin', b'abc', compress_type=zipfile.ZIP_BZIP2)", "compression method 12"),
    ])
    func hostileArchiveIsRefused(script: String, reason: String) throws {
        let folder = try TemporaryFolder()
        try pythonZip(script, to: folder.file("hostile.zip"))
        let reader = try ZipReader(path: folder.file("hostile.zip"))
        do {
            try reader.extractAll(into: folder.file("out"))
            Issue.record("extracted a hostile archive")
        } catch {
            #expect(error.description.contains(reason), "\(error)")
            #expect(error.description.contains(folder.file("hostile.zip")))
        }
        #expect(try folder.list() == ["hostile.zip"])
        #expect(!FileManager.default.fileExists(atPath: "/tmp/abs-evil.txt"))
    }

    @Test func bombBySizeIsRefusedByTheTotalLimit() throws {
        let folder = try TemporaryFolder()
        try pythonZip("[z.writestr('part%d.bin' % i, bytes(range(256)) * 4096) for i in range(3)]", to: folder.file("big.zip"))
        let limits = ZipExtractionLimits(maxTotalUncompressedBytes: 2 << 20)
        #expect(throws: ZipError.tooLarge(file: folder.file("big.zip"), limit: 2 << 20)) {
            try ZipReader(path: folder.file("big.zip")).extractAll(into: folder.file("out"), limits: limits)
        }
        #expect(try folder.list() == ["big.zip"])
    }

    /// A header that understates the size is caught while inflating, not trusted.
    @Test func entryLongerThanItsHeaderIsRefusedWhileInflating() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("liar.zip")
        try pythonZip("z.writestr('liar.bin', b'\\0' * (8 << 20), compress_type=zipfile.ZIP_DEFLATED)", to: path)
        let bytes = try folder.contents(of: "liar.zip")
        let central = bytes.indices.first { bytes[$0..<min($0 + 4, bytes.count)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) }!
        try patch(path, at: 22, littleEndian32(1000))
        try patch(path, at: central + 24, littleEndian32(1000))
        do {
            try ZipReader(path: path).extractAll(into: folder.file("out"))
            Issue.record("extracted an entry larger than declared")
        } catch {
            #expect(error.description.contains("longer than its header says"), "\(error)")
        }
        #expect(try folder.list() == ["liar.zip"])
    }

    @Test func corruptedDataFailsItsChecksum() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("flipped.zip")
        try pythonZip("z.writestr('a.png', b'A' * 1000)", to: path)
        try patch(path, at: 30 + 5 + 500, [0x42])
        #expect(throws: ZipError.checksumMismatch(file: path, entry: "a.png")) {
            try ZipReader(path: path).extractAll(into: folder.file("out"))
        }
        #expect(try folder.list() == ["flipped.zip"])
    }

    @Test func encryptedEntryIsRefused() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("locked.zip")
        try pythonZip("z.writestr('x.bin', b'secret')", to: path)
        let bytes = try folder.contents(of: "locked.zip")
        let central = bytes.indices.first { bytes[$0..<min($0 + 4, bytes.count)].elementsEqual([0x50, 0x4B, 0x01, 0x02]) }!
        try patch(path, at: 6, [bytes[6] | 1])
        try patch(path, at: central + 8, [bytes[central + 8] | 1])
        #expect(throws: ZipError.unsupported(file: path, entry: "x.bin", detail: "encrypted entries are not supported")) {
            try ZipReader(path: path).extractAll(into: folder.file("out"))
        }
        #expect(try folder.list() == ["locked.zip"])
    }

    @Test func existingDestinationIsNeverMergedInto() throws {
        let folder = try TemporaryFolder()
        try pythonZip("z.writestr('a.png', b'A')", to: folder.file("a.zip"))
        try folder.write("out/keep.txt", [1])
        #expect(throws: ZipError.destinationExists(file: folder.file("a.zip"), destination: folder.file("out"))) {
            try ZipReader(path: folder.file("a.zip")).extractAll(into: folder.file("out"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("out")) == ["keep.txt"])
    }

    @Test(arguments: [
        ("000.png", ["000.png"]), ("set/001.txt", ["set", "001.txt"]), ("dir/", ["dir"]),
        ("日本/ü.png", ["日本", "ü.png"]), ("a..b.png", ["a..b.png"]),
    ])
    func safeNamesKeepTheirComponents(name: String, components: [String]) {
        #expect(ZipEntryPath.safeComponents(of: name) == components)
    }

    @Test(arguments: ["", "/", "/etc/passwd", "..", "../x", "a/../../x", "a\\b", "..\\x", "C:x", "c:/x", "a//b", "a/./b", "a\0b"])
    func unsafeNamesAreRejected(name: String) {
        #expect(ZipEntryPath.safeComponents(of: name) == nil)
    }
}
