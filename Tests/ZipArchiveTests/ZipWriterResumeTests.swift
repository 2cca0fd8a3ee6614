import Foundation
import Testing

@testable import ZipArchive

/// `ZipWriter(resuming:…)`: continuing an unfinished archive after a kill gives the archive an uninterrupted writer
/// gives, and a record that does not match the file is refused.
@Suite("ZipWriter resuming")
struct ZipWriterResumeTests {
    let timestamp = DOSTimestamp(year: 2024, month: 5, day: 17, hour: 13, minute: 45, second: 30)

    /// Five sources, media stored and captions deflated, as the final zip step adds them.
    private func sources(in folder: borrowing TemporaryFolder) throws -> [ZipWriter.Entry] {
        let files: [(String, [UInt8])] = [
            ("001.png", noise(count: 200_000, seed: 1)),
            ("001.txt", Array("1girl, solo, long hair, smile, 1girl, solo".utf8)),
            ("002.png", noise(count: 90_000, seed: 2)),
            ("002.txt", Array(repeating: Array("tag, ".utf8), count: 2_000).flatMap { $0 }),
            ("日本語/003.webp", noise(count: 5_000, seed: 3)),
            ("empty.txt", []),
        ]
        return try files.map { name, bytes in
            ZipWriter.Entry(sourcePath: try folder.write("src/" + name, bytes), name: name, compression: name.hasSuffix(".txt") ? .deflated : .stored)
        }
    }

    private func uninterrupted(_ entries: [ZipWriter.Entry], to path: String) throws {
        let writer = try ZipWriter(path: path, timestamp: timestamp, computesSHA256: true)
        try writer.addFiles(entries)
        try writer.finish()
    }

    /// Writes `entries[..<kept]`, syncs, then writes more (and, when asked, finishes) without the restart knowing:
    /// what a kill after a checkpoint leaves. Returns the recorded length and entries, through a JSON round trip.
    private func interrupted(
        _ entries: [ZipWriter.Entry], keeping kept: Int, finishing: Bool, to path: String
    ) throws -> (offset: UInt64, written: [ZipWriter.Written]) {
        let writer = try ZipWriter(path: path, timestamp: timestamp, computesSHA256: true)
        let written = try writer.addFiles(Array(entries[..<kept]))
        let offset = try writer.sync()
        try writer.addFiles(Array(entries[kept...].prefix(1)))
        if finishing { try writer.finish() } else { try writer.sync() }
        let decoded = try JSONDecoder().decode([ZipWriter.Written].self, from: JSONEncoder().encode(written))
        return (offset, decoded)
    }

    @Test(arguments: [(0, false), (1, false), (3, true), (5, false), (6, true)])
    func resumingGivesTheUninterruptedArchive(_ kept: Int, _ wasFinished: Bool) throws {
        let folder = try TemporaryFolder()
        let entries = try sources(in: folder)
        try uninterrupted(entries, to: folder.file("reference.zip"))
        let partial = folder.file("resumed.zip")
        let (offset, written) = try interrupted(entries, keeping: kept, finishing: wasFinished, to: partial)
        #expect(written.count == kept)

        let writer = try ZipWriter(resuming: partial, at: offset, written: written, timestamp: timestamp, computesSHA256: true)
        #expect(writer.bytesWritten == offset)
        let added = try writer.addFiles(Array(entries[kept...]))
        try writer.finish()

        #expect(try folder.contents(of: "resumed.zip") == folder.contents(of: "reference.zip"), "byte-identical after resuming at \(kept)")
        let check = try runTool("unzip", ["-t", partial])
        #expect(check.status == 0 && check.output.contains("No errors detected"), "\(check.output)")
        let reader = try ZipReader(path: partial)
        #expect(reader.entries.map(\.name) == entries.map(\.name), "the central directory covers old and new entries")
        #expect((written + added).map(\.name) == entries.map(\.name))
        #expect(added.allSatisfy { $0.sha256 != nil })
    }

    @Test func zip64LocalHeadersOfResumedEntriesArePreserved() throws {
        let folder = try TemporaryFolder()
        let big = noise(count: 3_000_001, seed: 5)
        let entries = [
            ZipWriter.Entry(sourcePath: try folder.write("big.bin", big), name: "big.bin", compression: .stored),
            ZipWriter.Entry(sourcePath: try folder.write("small.txt", Array("small".utf8)), name: "small.txt", compression: .deflated),
        ]
        func writer(_ path: String) throws -> ZipWriter {
            let writer = try ZipWriter(path: path, timestamp: timestamp)
            writer.wholeFileLimit = 1 << 20
            writer.zip64StreamThreshold = 1 << 20
            return writer
        }
        let reference = try writer(folder.file("reference.zip"))
        try reference.addFiles(entries)
        try reference.finish()

        let first = try writer(folder.file("resumed.zip"))
        let written = try first.addFiles([entries[0]])
        let offset = try first.sync()
        #expect(written[0].zip64LocalHeader, "the streamed entry has Zip64 sizes in its local header")

        var flipped = written
        flipped[0].zip64LocalHeader = false
        #expect(throws: ZipError.self, "a record that forgets the Zip64 header is refused") {
            try ZipWriter(resuming: folder.file("resumed.zip"), at: offset, written: flipped, timestamp: timestamp)
        }
        let resumed = try ZipWriter(resuming: folder.file("resumed.zip"), at: offset, written: written, timestamp: timestamp)
        try resumed.addFiles([entries[1]])
        try resumed.finish()
        #expect(try folder.contents(of: "resumed.zip") == folder.contents(of: "reference.zip"))
        let check = try runTool("unzip", ["-t", folder.file("resumed.zip")])
        #expect(check.status == 0 && check.output.contains("No errors detected"), "\(check.output)")
        let reader = try ZipReader(path: folder.file("resumed.zip"))
        #expect(try reader.contents(of: reader.entries[0]) == big)
    }

    @Test func moreThan65535EntriesAcrossAResumeEndWithZip64Records() throws {
        let folder = try TemporaryFolder()
        let count = 65_600
        let kept = 40_000
        let first = try ZipWriter(path: folder.file("many.zip"), timestamp: timestamp)
        var written: [ZipWriter.Written] = []
        for index in 0..<kept { written.append(try first.addData(index % 1000 == 0 ? [UInt8(index % 251)] : [], as: "f\(index)", compression: .stored)) }
        let offset = try first.sync()
        let resumed = try ZipWriter(resuming: folder.file("many.zip"), at: offset, written: written, timestamp: timestamp)
        for index in kept..<count { try resumed.addData(index % 1000 == 0 ? [UInt8(index % 251)] : [], as: "f\(index)", compression: .stored) }
        try resumed.finish()
        let check = try runTool("unzip", ["-tq", folder.file("many.zip")])
        #expect(check.status == 0, "\(check.output.suffix(500))")
        let reader = try ZipReader(path: folder.file("many.zip"))
        #expect(reader.entries.count == count)
        #expect(reader.entries[kept - 1].name == "f\(kept - 1)" && reader.entries.last?.name == "f\(count - 1)")
    }

    /// Each way a record can disagree with the file: refused, and the file is left as it was.
    @Test(arguments: ["longer offset", "shorter offset", "crc", "size", "header offset", "name", "duplicate", "timestamp", "missing entry"])
    func aRecordThatDisagreesWithTheFileIsRefused(_ disagreement: String) throws {
        let folder = try TemporaryFolder()
        let entries = try sources(in: folder)
        let partial = folder.file("partial.zip")
        var (offset, written) = try interrupted(entries, keeping: 4, finishing: false, to: partial)
        var stamp = timestamp
        switch disagreement {
        case "longer offset": offset += 1 << 30
        case "shorter offset": offset -= 1
        case "crc": written[2].crc32 ^= 1
        case "size": written[1].compressedSize += 1
        case "header offset": written[3].localHeaderOffset += 1
        case "name": written[0].name = "other.png"
        case "duplicate": written[3].name = written[1].name
        case "timestamp": stamp = DOSTimestamp(year: 2024, month: 5, day: 17, hour: 13, minute: 45, second: 32)
        default: written.remove(at: 1)
        }
        let before = try folder.contents(of: "partial.zip")
        #expect {
            try ZipWriter(resuming: partial, at: offset, written: written, timestamp: stamp)
        } throws: { error in
            guard case .cannotResume(let file, _) = error as? ZipError else { return false }
            return file == partial
        }
        #expect(try folder.contents(of: "partial.zip") == before, "a refused resume leaves the file untouched")
    }
}
