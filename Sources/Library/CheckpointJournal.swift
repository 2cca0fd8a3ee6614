import Foundation
import Glibc
import SystemIO

/// A job's checkpoint as an append-only file of JSON lines (one `CheckpointEntry` each), so recording one image's
/// stage costs one short write however large the drop is. Opening it streams the lines into a `LibraryCheckpoint`
/// (never the whole file in memory); an image's latest record is read back by its location. A line torn by a kill
/// is cut off when the file is opened.
public final class CheckpointJournal {
    public let path: String
    private let writer: FileHandle
    private let reader: FileHandle
    private let encoder: JSONEncoder
    private let decoder = JSONDecoder()
    /// Where the next line goes.
    private var end: Int64
    private var unsynced = 0

    /// Lines are read in chunks of this many bytes when the journal is opened.
    static let chunkSize = 1 << 20

    /// Opens (or creates) the journal and returns it with the state its lines fold into.
    /// - Throws: `LibraryError.checkpointUnreadable` naming the line when a line other than the last is damaged.
    public static func open(at path: String) throws -> (CheckpointJournal, LibraryCheckpoint) {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let reader = FileHandle(forReadingAtPath: path) else {
            throw LibraryError.cannotWrite(path: path, reason: "cannot open the checkpoint for reading")
        }
        var checkpoint = LibraryCheckpoint()
        let decoder = JSONDecoder()
        var offset: Int64 = 0
        var lineNumber = 0
        var pending = Data()
        while let chunk = try reader.read(upToCount: chunkSize), !chunk.isEmpty {
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[start..<newline]
                lineNumber += 1
                do {
                    checkpoint.apply(try decoder.decode(CheckpointEntry.self, from: line), at: RecordLocation(offset: offset, length: line.count))
                } catch {
                    throw LibraryError.checkpointUnreadable(path: path, line: lineNumber, reason: "\(error)")
                }
                offset += Int64(line.count + 1)
                start = newline + 1
            }
            pending = Data(pending[start...])
        }
        // A kill in the middle of a write leaves a last line without its newline: cut it off.
        if !pending.isEmpty, truncate(path, off_t(offset)) != 0 {
            throw LibraryError.cannotWrite(path: path, reason: "cannot cut off a torn last line: \(String(cString: strerror(errno)))")
        }
        guard let writer = FileHandle(forWritingAtPath: path) else {
            throw LibraryError.cannotWrite(path: path, reason: "cannot open the checkpoint for writing")
        }
        try writer.seek(toOffset: UInt64(offset))
        return (CheckpointJournal(path: path, writer: writer, reader: reader, end: offset), checkpoint)
    }

    private init(path: String, writer: FileHandle, reader: FileHandle, end: Int64) {
        self.path = path
        self.writer = writer
        self.reader = reader
        self.end = end
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit {
        try? writer.close()
        try? reader.close()
    }

    /// Appends one entry as one line (a single write, so a kill leaves it whole or torn at the end); returns where it is.
    @discardableResult
    public func append(_ entry: CheckpointEntry) throws -> RecordLocation {
        try append([entry])[0]
    }

    /// Appends entries as lines in one write (a kill leaves a whole prefix of them); returns where each is.
    public func append(_ entries: [CheckpointEntry]) throws -> [RecordLocation] {
        var lines = Data()
        var locations: [RecordLocation] = []
        for entry in entries {
            let line = try encoder.encode(entry)
            locations.append(RecordLocation(offset: end + Int64(lines.count), length: line.count))
            lines.append(line)
            lines.append(UInt8(ascii: "\n"))
        }
        try writer.write(contentsOf: lines)
        end += Int64(lines.count)
        unsynced += entries.count
        return locations
    }

    /// The entry whose line is at `location`.
    public func read(_ location: RecordLocation) throws -> CheckpointEntry {
        var bytes = [UInt8](repeating: 0, count: location.length)
        var done = 0
        while done < location.length {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(reader.fileDescriptor, buffer.baseAddress! + done, location.length - done, off_t(location.offset) + off_t(done))
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                throw LibraryError.checkpointUnreadable(
                    path: path, line: 0, reason: "the record at byte \(location.offset) cannot be read back (\(String(cString: strerror(errno))))")
            }
            done += got
        }
        do {
            return try decoder.decode(CheckpointEntry.self, from: Data(bytes))
        } catch {
            throw LibraryError.checkpointUnreadable(path: path, line: 0, reason: "the record at byte \(location.offset): \(error)")
        }
    }

    /// Flushes what was appended to the disk (once per batch: a kill -9 loses nothing written, only a power cut could).
    public func sync() throws {
        guard unsynced > 0 else { return }
        try writer.synchronize()
        unsynced = 0
    }
}
