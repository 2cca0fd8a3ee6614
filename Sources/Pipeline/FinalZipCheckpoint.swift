import Foundation
import Hashing
import Jobs
import SystemIO
import ZipArchive

/// Step I's per-chunk checkpoint: a header line naming the zip and its entry list, then one JSON line per chunk with
/// the length the `.partial` had reached (synced before the line is written) and what the writer reported for each
/// entry of the chunk, so a restart continues the partial instead of writing the whole zip again.
///
/// A kill mid-append leaves whole chunk lines and at most one torn line, which loading cuts off: the entries not yet
/// recorded are written again, so a restart redoes at most one chunk.
struct FinalZipCheckpoint {
    /// The first line: which zip the partial becomes and which entries, in which order and compression, it holds.
    struct Header: Codable, Equatable {
        var zip: String
        var entries: Int
        /// SHA-256 of every entry's name and compression, in order.
        var entriesSHA256: String

        init(zip: String, entries: [ZipWriter.Entry]) {
            var listing = Data()
            for entry in entries { listing += Data("\(entry.name)\u{0}\(entry.compression.rawValue)\n".utf8) }
            self.zip = zip
            self.entries = entries.count
            self.entriesSHA256 = FileDigest.hex(of: listing)
        }
    }

    /// What a restart may keep: the partial's first `offset` bytes hold exactly `written`.
    struct Recorded {
        var header: Header
        var offset: UInt64
        var written: [ZipWriter.Written]
    }

    private struct Chunk: Codable {
        var offset: UInt64
        var written: [ZipWriter.Written]
    }

    private struct Line: Codable {
        var header: Header?
        var chunk: Chunk?
    }

    let url: URL
    private var file: JSONLinesFile { JSONLinesFile(url) }

    /// What earlier runs recorded; nil when there is no checkpoint or its header is unreadable. Chunks after one that
    /// does not decode are ignored (a torn last line is cut off the file).
    func load() -> Recorded? {
        let lines = file.lines()
        let decoder = JSONDecoder()
        guard let first = lines.first, let header = (try? decoder.decode(Line.self, from: first))?.header else { return nil }
        var recorded = Recorded(header: header, offset: 0, written: [])
        for data in lines.dropFirst() {
            guard let chunk = (try? decoder.decode(Line.self, from: data))?.chunk else { break }
            recorded.offset = chunk.offset
            recorded.written += chunk.written
        }
        return recorded
    }

    /// The zip named by the header, read without loading the chunks (for the start-up sweep).
    func zipName() -> String? {
        guard let line = file.firstLine(limit: 64 << 10) else { return nil }
        return (try? JSONDecoder().decode(Line.self, from: line))?.header?.zip
    }

    /// Replaces any earlier checkpoint with one holding only `header`, durable before it returns.
    func start(_ header: Header) throws {
        file.remove()
        try file.append([try Self.encoder().encode(Line(header: header))])
    }

    /// Records one chunk durably: the partial's length after it (already synced) and what was written for it.
    func append(offset: UInt64, written: [ZipWriter.Written]) throws {
        try file.append([try Self.encoder().encode(Line(chunk: Chunk(offset: offset, written: written)))])
    }

    /// Deletes the checkpoint (once the zip is in place, or when its partial is gone).
    func remove() {
        file.remove()
    }

    /// The `.partial` zips in `final` that a job's checkpoint (in one of `jobFolders`) can continue, which the
    /// start-up sweep keeps; a checkpoint whose partial is gone is removed.
    static func resumablePartials(jobFolders: [String], final: URL) -> Set<String> {
        var kept: Set<String> = []
        for folder in jobFolders {
            let checkpoint = FinalZipCheckpoint(url: JobFolder(URL(fileURLWithPath: folder)).finalZipCheckpoint)
            guard FileManager.default.fileExists(atPath: checkpoint.url.path) else { continue }
            let partial = checkpoint.zipName().map { partialURL(forZip: $0, in: final).path }
            if let partial, FileManager.default.fileExists(atPath: partial) {
                kept.insert(partial)
            } else {
                checkpoint.remove()
            }
        }
        return kept
    }

    /// `final/.<zip>.partial`: where step I writes the zip before renaming it into place.
    static func partialURL(forZip name: String, in final: URL) -> URL {
        final.appendingPathComponent(".\(name).partial")
    }

    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
