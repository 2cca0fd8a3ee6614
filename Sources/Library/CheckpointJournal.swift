import Foundation
import SystemIO

/// A job's checkpoint as an append-only file of JSON lines (one `CheckpointEntry` each), so recording one image's
/// stage costs one short write however large the drop is. A line torn by a kill is dropped when the file is opened.
public final class CheckpointJournal {
    public let path: String
    private let handle: FileHandle
    private let encoder: JSONEncoder
    private var unsynced = 0

    /// Opens (or creates) the journal and returns it with the state its lines fold into.
    /// - Throws: `LibraryError.checkpointUnreadable` naming the line when a line other than the last is damaged.
    public static func open(at path: String) throws -> (CheckpointJournal, LibraryCheckpoint) {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var data = (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()
        // A kill in the middle of a write leaves a last line without its newline: cut it off.
        if let last = data.last, last != UInt8(ascii: "\n") {
            let end = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            data = data.prefix(end)
            try data.write(to: URL(fileURLWithPath: path))
        }
        var checkpoint = LibraryCheckpoint()
        let decoder = JSONDecoder()
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            do {
                checkpoint.apply(try decoder.decode(CheckpointEntry.self, from: Data(line)))
            } catch {
                throw LibraryError.checkpointUnreadable(path: path, line: index + 1, reason: "\(error)")
            }
        }
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: nil)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw LibraryError.cannotWrite(path: path, reason: "cannot open the checkpoint for writing")
        }
        try handle.seekToEnd()
        return (CheckpointJournal(path: path, handle: handle), checkpoint)
    }

    private init(path: String, handle: FileHandle) {
        self.path = path
        self.handle = handle
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { try? handle.close() }

    /// Appends one entry as one line (a single write, so a kill leaves it whole or torn at the end).
    public func append(_ entry: CheckpointEntry) throws {
        var line = try encoder.encode(entry)
        line.append(UInt8(ascii: "\n"))
        try handle.write(contentsOf: line)
        unsynced += 1
    }

    /// Flushes what was appended to the disk (once per batch: a kill -9 loses nothing written, only a power cut could).
    public func sync() throws {
        guard unsynced > 0 else { return }
        try handle.synchronize()
        unsynced = 0
    }
}
