import Foundation
import Hashing
import Testing

@testable import ZipArchive

@Suite("ZipWriter")
struct ZipWriterTests {
    let timestamp = DOSTimestamp(year: 2024, month: 5, day: 17, hour: 13, minute: 45, second: 30)

    /// Writes media stored and captions deflated, the way a final dataset zip is made.
    private func writeSample(in folder: borrowing TemporaryFolder, to zipName: String) throws -> [String: [UInt8]] {
        let files: [String: [UInt8]] = [
            "001.png": noise(count: 300_000, seed: 1),
            "sub/002.jpg": noise(count: 70_000, seed: 2),
            "001.txt": Array("1girl, solo, long hair, looking at viewer, smile, 1girl, solo".utf8),
            "日本語/画像 ü.webp": noise(count: 5_000, seed: 3),
            "empty.txt": [],
        ]
        var entries: [ZipWriter.Entry] = []
        for name in files.keys.sorted() {
            let source = try folder.write("src/" + name, files[name]!)
            entries.append(.init(sourcePath: source, name: name, compression: name.hasSuffix(".txt") ? .deflated : .stored))
        }
        let writer = try ZipWriter(path: folder.file(zipName), timestamp: timestamp)
        try writer.addFiles(entries)
        try writer.finish()
        return files
    }

    @Test func storedAndDeflatedEntriesPassUnzipTest() throws {
        let folder = try TemporaryFolder()
        let files = try writeSample(in: folder, to: "out.zip")
        let check = try runTool("unzip", ["-t", folder.file("out.zip")])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("No errors detected"))

        let reader = try ZipReader(path: folder.file("out.zip"))
        #expect(Set(reader.entries.map(\.name)) == Set(files.keys))
        for entry in reader.entries {
            #expect(try reader.contents(of: entry) == files[entry.name])
            #expect(entry.method == (entry.name.hasSuffix(".txt") ? 8 : 0))
        }
    }

    @Test func unicodeNamesSurviveInfoZipExtraction() throws {
        let folder = try TemporaryFolder()
        _ = try writeSample(in: folder, to: "out.zip")
        let run = try runTool("unzip", ["-q", folder.file("out.zip"), "-d", folder.file("unzipped")])
        #expect(run.status == 0, "\(run.output)")
        #expect(try folder.contents(of: "unzipped/日本語/画像 ü.webp") == noise(count: 5_000, seed: 3))
    }

    @Test func sameInputsGiveByteIdenticalArchives() throws {
        let folder = try TemporaryFolder()
        _ = try writeSample(in: folder, to: "first.zip")
        let source = folder.file("src")
        try FileManager.default.moveItem(atPath: source, toPath: folder.file("old-src"))
        _ = try writeSample(in: folder, to: "second.zip")
        #expect(try folder.contents(of: "first.zip") == folder.contents(of: "second.zip"))
    }

    @Test func singleFileAdditionsMatchBatchAdditions() throws {
        let folder = try TemporaryFolder()
        let image = try folder.write("a.png", noise(count: 100_000, seed: 9))
        let caption = try folder.write("a.txt", Array("tag one, tag two".utf8))
        let one = try ZipWriter(path: folder.file("one.zip"), timestamp: timestamp)
        try one.addFile(at: image, as: "a.png", compression: .stored)
        try one.addFile(at: caption, as: "a.txt", compression: .deflated)
        try one.finish()
        let batch = try ZipWriter(path: folder.file("batch.zip"), timestamp: timestamp)
        try batch.addFiles([
            .init(sourcePath: image, name: "a.png", compression: .stored),
            .init(sourcePath: caption, name: "a.txt", compression: .deflated),
        ])
        try batch.finish()
        #expect(try folder.contents(of: "one.zip") == folder.contents(of: "batch.zip"))
    }

    @Test func moreThan65535EntriesUseZip64AndPassUnzipTest() throws {
        let folder = try TemporaryFolder()
        let writer = try ZipWriter(path: folder.file("many.zip"), timestamp: timestamp)
        let count = 65_600
        for index in 0..<count {
            try writer.addData(index % 1000 == 0 ? [UInt8(index % 251)] : [], as: "f\(index)", compression: .stored)
        }
        try writer.finish()
        let check = try runTool("unzip", ["-tq", folder.file("many.zip")])
        #expect(check.status == 0, "\(check.output.suffix(500))")
        let reader = try ZipReader(path: folder.file("many.zip"))
        #expect(reader.entries.count == count)
        #expect(reader.entries.last?.name == "f\(count - 1)")
    }

    @Test func largeFilesAreStreamedWithPatchedHeaders() throws {
        let folder = try TemporaryFolder()
        let big = noise(count: 3_000_001, seed: 5)
        let source = try folder.write("big.bin", big)
        let text = try folder.write("big.txt", Array(repeating: Array("long hair, ".utf8), count: 300_000).flatMap { $0 })
        let writer = try ZipWriter(path: folder.file("big.zip"), timestamp: timestamp)
        writer.wholeFileLimit = 1 << 20
        try writer.addFiles([
            .init(sourcePath: source, name: "big.bin", compression: .stored),
            .init(sourcePath: text, name: "big.txt", compression: .deflated),
        ])
        try writer.finish()
        let check = try runTool("unzip", ["-tq", folder.file("big.zip")])
        #expect(check.status == 0, "\(check.output)")
        let reader = try ZipReader(path: folder.file("big.zip"))
        #expect(try reader.contents(of: reader.entries[0]) == big)
    }

    /// The manifest takes each entry's SHA-256 from the writer instead of reading the file again: whole files,
    /// streamed ones (stored and deflated) and in-memory data must all match a separate read of the same bytes.
    @Test func entryDigestsMatchAFreshReadOfEachFile() throws {
        let folder = try TemporaryFolder()
        let small = try folder.write("small.png", noise(count: 70_000, seed: 7))
        let big = try folder.write("big.bin", noise(count: 3_000_001, seed: 8))
        let text = try folder.write("big.txt", Array(repeating: Array("long hair, ".utf8), count: 300_000).flatMap { $0 })
        let empty = try folder.write("empty.txt", [])
        let writer = try ZipWriter(path: folder.file("d.zip"), timestamp: timestamp, computesSHA256: true)
        writer.wholeFileLimit = 1 << 20
        let written = try writer.addFiles([
            .init(sourcePath: small, name: "small.png", compression: .stored),
            .init(sourcePath: big, name: "big.bin", compression: .stored),
            .init(sourcePath: text, name: "big.txt", compression: .deflated),
            .init(sourcePath: empty, name: "empty.txt", compression: .deflated),
        ])
        let single = try writer.addFile(at: small, as: "again.png", compression: .deflated)
        let data = try writer.addData(Array("1girl, smile".utf8), as: "data.txt", compression: .deflated)
        try writer.finish()
        #expect(try runTool("unzip", ["-tq", folder.file("d.zip")]).status == 0)
        #expect(written.map(\.name) == ["small.png", "big.bin", "big.txt", "empty.txt"])
        for (entry, source) in zip(written, [small, big, text, empty]) {
            #expect(entry.sha256 == (try FileDigest.hex(of: source)), "\(entry.name)")
            #expect(entry.size == UInt64(try folder.contents(of: (source as NSString).lastPathComponent).count))
        }
        #expect(single.sha256 == (try FileDigest.hex(of: small)))
        #expect(data.sha256 == FileDigest.hex(of: Data("1girl, smile".utf8)))
        let reader = try ZipReader(path: folder.file("d.zip"))
        #expect(reader.entries.map(\.crc32) == (written + [single, data]).map(\.crc32))
    }

    /// A digest the caller already knows is reported as given, for whole and streamed files, and the entry's bytes
    /// and CRC are still those read from disk.
    @Test func knownDigestsAreReportedWithoutHashingAgain() throws {
        let folder = try TemporaryFolder()
        let small = try folder.write("small.png", noise(count: 70_000, seed: 10))
        let big = try folder.write("big.bin", noise(count: 3_000_001, seed: 11))
        let known = String(repeating: "ab", count: 32)
        let writer = try ZipWriter(path: folder.file("k.zip"), timestamp: timestamp, computesSHA256: true)
        writer.wholeFileLimit = 1 << 20
        let written = try writer.addFiles([
            .init(sourcePath: small, name: "small.png", compression: .stored, knownSHA256: known),
            .init(sourcePath: big, name: "big.bin", compression: .stored, knownSHA256: known),
            .init(sourcePath: small, name: "hashed.png", compression: .stored),
        ])
        try writer.finish()
        #expect(written.map(\.sha256) == [known, known, try FileDigest.hex(of: small)])
        #expect(try runTool("unzip", ["-tq", folder.file("k.zip")]).status == 0)
        let reader = try ZipReader(path: folder.file("k.zip"))
        #expect(try reader.contents(of: reader.entries[1]) == (try folder.contents(of: "big.bin")))
    }

    @Test func digestsAreLeftOutUnlessAsked() throws {
        let folder = try TemporaryFolder()
        let source = try folder.write("a.png", noise(count: 1_000, seed: 9))
        let writer = try ZipWriter(path: folder.file("n.zip"), timestamp: timestamp)
        #expect(try writer.addFile(at: source, as: "a.png", compression: .stored).sha256 == nil)
        try writer.finish()
    }

    @Test(arguments: ["", "/abs.png", "../up.png", "a/../b.png", "a//b.png", "a\\b.png", "./a.png"])
    func writerRefusesUnsafeNames(_ name: String) throws {
        let folder = try TemporaryFolder()
        let writer = try ZipWriter(path: folder.file("x.zip"))
        #expect(throws: ZipError.invalidName(file: folder.file("x.zip"), name: name)) {
            try writer.addData([1], as: name, compression: .stored)
        }
    }

    @Test func duplicateNamesAreRefused() throws {
        let folder = try TemporaryFolder()
        let writer = try ZipWriter(path: folder.file("x.zip"))
        try writer.addData([1], as: "a.png", compression: .stored)
        #expect(throws: ZipError.self) { try writer.addData([2], as: "a.png", compression: .stored) }
    }

    @Test func missingSourceFileErrorNamesIt() throws {
        let folder = try TemporaryFolder()
        let writer = try ZipWriter(path: folder.file("x.zip"))
        let missing = folder.file("nope.png")
        do {
            try writer.addFiles([.init(sourcePath: missing, name: "nope.png", compression: .stored)])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(missing))
        }
    }

    @Test func centralRecordRoundTripsZip64Fields() throws {
        let record = ZipCentralRecord(
            nameBytes: Array("huge.bin".utf8), method: 0, timestamp: timestamp, crc32: 0xDEAD_BEEF,
            compressedSize: 5 << 30, uncompressedSize: 5 << 30, localHeaderOffset: 9 << 30)
        var reader = ByteReader(record.encoded())
        #expect(ZipCentralRecord.decode(from: &reader) == record)
    }
}
