import Foundation
import Testing

@testable import ZipArchive

/// Builds an archive with Python's zipfile (deflated), from a statement that writes into `z`.
private func deflatedZip(_ statement: String, to path: String) throws {
    let program = """
        import sys, zipfile
        z = zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED)
        \(statement)
        z.close()
        """
    let run = try runTool("python3", ["-c", program, path])
    try #require(run.status == 0, "\(run.output)")
}

@Suite struct HostileArchiveTests {
    /// Each entry is under the per-entry ratio threshold; together they expand ~1000 times the archive.
    @Test func manySmallEntriesAreRefusedByTheWholeArchiveRatio() throws {
        let folder = try TemporaryFolder()
        let archive = folder.file("small-bomb.zip")
        try deflatedZip("[z.writestr('junk/%04d.bin' % i, bytes(256 * 1024)) for i in range(300)]", to: archive)
        let reader = try ZipReader(path: archive)
        #expect(reader.entries.allSatisfy { $0.uncompressedSize <= ZipExtractionLimits.default.ratioAppliesAbove })
        #expect(throws: ZipError.archiveCompressionRatioExceeded(file: archive, limit: 200)) {
            try reader.extractAll(into: folder.file("out"))
        }
        // Refused from the declared sizes, before anything was written.
        #expect(try folder.list() == ["small-bomb.zip"])
    }

    @Test func headersThatUnderstateSizesAreCaughtByTheRatioWhileInflating() throws {
        let folder = try TemporaryFolder()
        let archive = folder.file("liar.zip")
        try deflatedZip("[z.writestr('e%03d.bin' % i, bytes(256 * 1024)) for i in range(40)]", to: archive)
        let reader = try ZipReader(path: archive)
        var budget = ZipBudget(limits: .default, file: archive, archiveSize: 10_000)
        let entry = try #require(reader.entries.first)
        #expect(throws: ZipError.archiveCompressionRatioExceeded(file: archive, limit: 200)) {
            for _ in 0..<40 { try budget.consume(256 * 1024, entry: entry, producedSoFar: 256 * 1024) }
        }
    }

    @Test func ordinaryDatasetPassesTheArchiveRatio() throws {
        let folder = try TemporaryFolder()
        let archive = folder.file("result.zip")
        // Captions compress well, images do not: a real result zip stays far under the ratio.
        try deflatedZip(
            "import os\n[(z.writestr('%03d.png' % i, os.urandom(20000)), z.writestr('%03d.txt' % i, '1girl, solo, smile, ' * 20)) for i in range(50)]",
            to: archive)
        let files = try ZipReader(path: archive).extractAll(into: folder.file("out"))
        #expect(files.count == 100)
    }

    @Test func onlyTheEntriesTheCallerCanUseAreWritten() throws {
        let folder = try TemporaryFolder()
        let archive = folder.file("mixed.zip")
        try deflatedZip(
            "[z.writestr(n, b'x' * 100) for n in ['000.png', '000.txt', 'junk.bin', 'sub/001.JPG', '__MACOSX/._000.png', 'big.iso']]",
            to: archive)
        let wanted: Set<String> = ["png", "jpg", "jpeg", "webp", "txt"]
        let files = try ZipReader(path: archive).extractAll(into: folder.file("out")) { entry in
            !entry.name.hasPrefix("__MACOSX/") && wanted.contains((entry.name as NSString).pathExtension.lowercased())
        }
        #expect(files.sorted() == ["000.png", "000.txt", "sub/001.JPG"])
        let written = try FileManager.default.subpathsOfDirectory(atPath: folder.file("out")).sorted()
        #expect(written == ["000.png", "000.txt", "sub", "sub/001.JPG"])
    }

    @Test func skippedEntriesStillNeedSafeNames() throws {
        let folder = try TemporaryFolder()
        let archive = folder.file("evil.zip")
        try deflatedZip("z.writestr('../escape.bin', b'x'); z.writestr('a.png', b'y')", to: archive)
        #expect(throws: ZipError.unsafeEntryName(file: archive, entry: "../escape.bin")) {
            try ZipReader(path: archive).extractAll(into: folder.file("out")) { $0.name.hasSuffix(".png") }
        }
    }
}

@Suite struct CraftedDirectoryTests {
    /// One stored entry whose Zip64 extra claims a compressed size near 2^64: adding it to the data offset
    /// overflowed and trapped (a crash of the daemon) while checking entries for overlaps.
    @Test func compressedSizeNearTwoToTheSixtyFourIsCorruptNotACrash() throws {
        let folder = try TemporaryFolder()
        let name = Array("a.png".utf8)
        var archive = ByteWriter()
        archive.u32(ZipFormat.localHeaderSignature)
        archive.u16(ZipFormat.versionNeeded)
        archive.u16(0); archive.u16(0); archive.u16(0); archive.u16(0)  // flags, method, time, date
        archive.u32(0); archive.u32(5); archive.u32(5)  // crc, sizes
        archive.u16(UInt16(name.count)); archive.u16(0)
        archive.append(name)
        archive.append(Array("hello".utf8))
        let directoryOffset = archive.bytes.count
        let record = ZipCentralRecord(
            nameBytes: name, method: ZipFormat.methodStored, timestamp: .epoch, crc32: 0,
            compressedSize: UInt64.max - 10, uncompressedSize: 5, localHeaderOffset: 0)
        archive.append(record.encoded())
        let directorySize = archive.bytes.count - directoryOffset
        archive.u32(ZipFormat.endOfCentralDirectorySignature)
        archive.u16(0); archive.u16(0); archive.u16(1); archive.u16(1)
        archive.u32(UInt32(directorySize)); archive.u32(UInt32(directoryOffset)); archive.u16(0)
        let path = try folder.write("crafted.zip", archive.bytes)
        let reader = try ZipReader(path: path)
        #expect(reader.entries.first?.compressedSize == UInt64.max - 10)
        #expect(throws: ZipError.self) { try reader.extractAll(into: folder.file("out")) }
        #expect(throws: ZipError.self) { try reader.contents(of: reader.entries[0]) }
    }
}

@Suite struct FuzzFoundArchiveTests {
    /// Found by fuzz-zip (Fuzz/corpus/zip/crash-zip64-locator-offset-past-off_t.zip): a Zip64 locator whose offset
    /// is past off_t's range trapped converting it for pread, crashing whoever opened the download.
    @Test func zip64LocatorOffsetPastOffTIsNotComplete() throws {
        let folder = try TemporaryFolder()
        let bytes: [UInt8] = [
            0x50, 0x4b, 0x03, 0x04, 0xb0, 0x80, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x0d, 0x00, 0x50, 0x4b, 0x06, 0x07, 0x00, 0x00, 0xf2, 0x00, 0x00, 0x00, 0x10, 0x00,
            0xfd, 0x41, 0x2d, 0xf9, 0x00, 0x00, 0x61, 0x2f, 0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00,
            0x02, 0x00, 0x02, 0x00, 0x67, 0x3e, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00,
        ]
        let path = try folder.write("crash.zip", bytes)
        #expect(throws: ZipError.self) { try ZipReader(path: path) }
        #expect(!ZipReader.isComplete(path))
    }
}

@Suite struct ZipEntryNameTests {
    @Test(arguments: [
        "a.jpg", "folder/b.png", "日本語/画像.webp", "with space.txt", String(repeating: "n", count: 255) + "/x.png",
    ])
    func namesAZipCanHold(name: String) {
        #expect(ZipEntryName.problem(with: name) == nil)
    }

    @Test(arguments: [
        ("", "empty"), ("back\\slash.jpg", "backslash"), ("new\nline.jpg", "U+A"), ("nul\u{0}.jpg", "U+0"),
        ("esc\u{1B}.jpg", "U+1B"), ("c1\u{85}.jpg", "U+85"), ("bad\u{FFFD}.jpg", "UTF-8"), ("/abs.jpg", "absolute"),
        ("a//b.jpg", "empty"), ("../x.jpg", "'..'"), ("./x.jpg", "'.'"), ("trailing./x.jpg", "dot"),
        ("x.jpg ", "space"), ("C:/x.jpg", "drive"), (String(repeating: "n", count: 256), "255"),
    ])
    func namesAZipCannotHold(name: String, reason: String) {
        let problem = ZipEntryName.problem(with: name)
        #expect(problem?.contains(reason) == true, "\(String(describing: problem))")
    }

    @Test func invalidUTF8FileNamesAreReported() {
        // What a folder listing makes of the bytes 0xFF 0xFE when it decodes them as UTF-8.
        let name = String(decoding: [0x61, 0xFF, 0xFE, 0x2E, 0x6A, 0x70, 0x67] as [UInt8], as: UTF8.self)
        #expect(ZipEntryName.problem(with: name) == "the name is not valid UTF-8")
    }
}
