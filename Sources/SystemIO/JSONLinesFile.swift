import Foundation
import Glibc

/// An append-only file of lines for checkpoints: an append costs its own bytes and one fsync (not a rewrite of
/// everything recorded so far), and reading keeps the whole lines and cuts off the torn last line a kill mid-append
/// left.
public struct JSONLinesFile: Sendable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    /// Appends `lines` (each without its newline) and fsyncs the file; the folder too when the file is new.
    public func append(_ lines: [Data]) throws {
        var bytes: [UInt8] = []
        for line in lines { bytes += line + [UInt8(ascii: "\n")] }
        guard !bytes.isEmpty else { return }
        let path = url.path
        let isNew = !FileManager.default.fileExists(atPath: path)
        let fd = try retryOnInterrupt("open", path: path) { open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o644) }
        defer { close(fd) }
        var written = 0
        while written < bytes.count {
            written += try retryOnInterrupt("write", path: path) {
                bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            }
        }
        try retryOnInterrupt("fsync", path: path) { fsync(fd) }
        if isNew { try FileOperations.syncDirectory(at: url.deletingLastPathComponent().path) }
    }

    /// The file's whole lines, in order (none when there is no file); a torn last line is cut off the file.
    public func lines() -> [Data] {
        guard let data = try? Data(contentsOf: url) else { return [] }
        var lines: [Data] = []
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(data[start..<newline])
            start = newline + 1
        }
        if start < data.endIndex { truncate(url.path, off_t(start - data.startIndex)) }
        return lines
    }

    /// The first whole line among the file's first `limit` bytes; nil when there is none.
    public func firstLine(limit: Int) -> Data? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: limit), let newline = head.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        return head[head.startIndex..<newline]
    }

    /// Deletes the file (nothing happens when there is none).
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
