import Foundation
import Glibc
import SystemIO

/// Step A's per-batch checkpoint: JSON lines appended to one file, so a batch costs its own lines and one fsync,
/// not a rewrite of everything indexed so far (which grows with the job: 100,000 images would rewrite gigabytes).
///
/// A kill mid-append leaves whole lines of that batch and at most one torn line: loading keeps the whole lines,
/// cuts the torn tail off, and the images not yet recorded are indexed again, so a restart redoes at most one batch.
struct IndexCheckpoint {
    /// One line of the file: an indexed image or one that could not be read.
    private struct Line: Codable {
        var image: DatasetIndex.Image?
        var unreadable: DatasetIndex.Unreadable?
    }

    let url: URL

    /// What earlier runs recorded (empty when nothing was); a torn last line is removed from the file.
    func load() -> DatasetIndex {
        var index = DatasetIndex()
        guard let data = try? Data(contentsOf: url) else { return index }
        let decoder = JSONDecoder()
        var complete = 0
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
            if let line = try? decoder.decode(Line.self, from: data[start..<newline]) {
                if let image = line.image { index.images.append(image) }
                if let unreadable = line.unreadable { index.unreadable.append(unreadable) }
            }
            start = newline + 1
            complete = start - data.startIndex
        }
        if complete < data.count { truncate(url.path, off_t(complete)) }
        return index
    }

    /// Appends one batch's entries and makes them durable (the folder too, when the file is new).
    func append(images: ArraySlice<DatasetIndex.Image>, unreadable: ArraySlice<DatasetIndex.Unreadable>) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes: [UInt8] = []
        for image in images { bytes += try encoder.encode(Line(image: image)) + [UInt8(ascii: "\n")] }
        for entry in unreadable { bytes += try encoder.encode(Line(unreadable: entry)) + [UInt8(ascii: "\n")] }
        guard !bytes.isEmpty else { return }
        let isNew = !FileManager.default.fileExists(atPath: url.path)
        let path = url.path
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SystemError("open", path: path) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw SystemError("write", path: path) }
            written += count
        }
        guard fsync(fd) == 0 else { throw SystemError("fsync", path: path) }
        if isNew { try FileOperations.syncDirectory(at: url.deletingLastPathComponent().path) }
    }

    /// Deletes the checkpoint once the whole index is saved.
    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
