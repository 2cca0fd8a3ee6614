import CLinux
import Foundation
import Glibc

/// Durable file operations: atomic replace, fsync of files and directories, same-device checks.
public enum FileOperations {
    /// Writes `data` to `url` atomically: a temp file in the same folder, fsync, rename, fsync the folder.
    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent().path
        // A fixed-length name: `.<name>.tmp-…` overflowed NAME_MAX for a 255-byte name.
        let temporary = directory + "/" + TemporaryName.make()
        let fd = try retryOnInterrupt("open", path: temporary) { open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        do {
            // The descriptor is closed exactly once, before the rename, whatever happens: closing it again after
            // a failed rename could close a descriptor another thread has been handed the same number since.
            defer { close(fd) }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = try retryOnInterrupt("write", path: temporary) {
                        write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    }
                    offset += written
                }
            }
            try retryOnInterrupt("fsync", path: temporary) { fsync(fd) }
        } catch {
            unlink(temporary)
            throw error
        }
        do {
            try retryOnInterrupt("rename", path: url.path) { Glibc.rename(temporary, url.path) }
        } catch {
            unlink(temporary)
            throw error
        }
        try syncDirectory(at: directory)
    }

    /// Flushes a directory's entries (after a create, rename or unlink) to disk.
    public static func syncDirectory(at path: String) throws {
        let fd = try retryOnInterrupt("open", path: path) { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        try retryOnInterrupt("fsync", path: path) { fsync(fd) }
    }

    /// Starts writing an open file's dirty pages to disk without waiting (`sync_file_range(2)`). A large output
    /// calls it every few MB, so its disk writes run while it is still being written and the closing fsync waits
    /// only for the tail, instead of for every byte at once. Advice only: a file system without it is left alone.
    public static func startWriteback(fd: Int32) {
        _ = sluice_start_writeback(fd)
    }

    /// Flushes one file's data to disk.
    public static func syncFile(at path: String) throws {
        let fd = try retryOnInterrupt("open", path: path) { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        try retryOnInterrupt("fsync", path: path) { fsync(fd) }
    }

    /// Renames within one file system; throws `EXDEV` across file systems.
    public static func rename(_ source: String, to destination: String) throws {
        try retryOnInterrupt("rename", path: source) { Glibc.rename(source, destination) }
    }

    /// Whether two paths live on the same device, so a rename between them is possible.
    public static func isSameDevice(_ first: String, _ second: String) -> Bool {
        var a = stat(), b = stat()
        guard stat(first, &a) == 0, stat(second, &b) == 0 else { return false }
        return a.st_dev == b.st_dev
    }
}
