import Foundation
import Glibc

/// Why a file was not read: it is not a regular file, it is larger than the caller allows, or a call failed.
public enum FileReadError: Error, CustomStringConvertible, Equatable, Sendable {
    case notRegularFile(path: String, kind: String)
    case tooLarge(path: String, size: Int, limit: Int)
    case system(SystemError)

    public var description: String {
        switch self {
        case .notRegularFile(let path, let kind): "\(path) is \(kind), not a regular file"
        case .tooLarge(let path, let size, let limit): "\(path) is \(size) bytes, over the limit of \(limit) bytes"
        case .system(let error): error.description
        }
    }
}

/// Reads untrusted files: regular files only (a FIFO, device or symlink is refused without blocking) and never
/// more than a cap, so `/dev/zero`, a FIFO nobody writes or a huge file cannot hang or exhaust the process.
public enum RegularFileReader {
    /// The whole file, refused when it is not a regular file or holds more than `maxBytes`.
    /// - Parameter followSymlinks: false refuses a symlink as the last path component (O_NOFOLLOW).
    public static func read(_ path: String, maxBytes: Int, followSymlinks: Bool = false) throws(FileReadError) -> Data {
        // O_NONBLOCK: opening a FIFO for reading otherwise blocks until a writer appears.
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followSymlinks ? 0 : O_NOFOLLOW)
        let fd: Int32
        do {
            fd = try retryOnInterrupt("open", path: path) { open(path, flags) }
        } catch {
            if error.errno == ELOOP { throw .notRegularFile(path: path, kind: "a symbolic link") }
            throw .system(error)
        }
        defer { close(fd) }
        var info = stat()
        do { try retryOnInterrupt("fstat", path: path) { fstat(fd, &info) } } catch { throw .system(error) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path: path, kind: kindName(info.st_mode)) }
        guard Int(info.st_size) <= maxBytes else { throw .tooLarge(path: path, size: Int(info.st_size), limit: maxBytes) }
        // Read until end of file, but never past the cap: the file may grow while it is read.
        var data = Data(count: Int(info.st_size) + 1)
        var total = 0
        while true {
            if total == data.count {
                guard total <= maxBytes else { throw .tooLarge(path: path, size: total, limit: maxBytes) }
                data.count = min(maxBytes + 1, max(data.count * 2, 4096))
            }
            let capacity = data.count - total
            let got = data.withUnsafeMutableBytes { buffer in Glibc.read(fd, buffer.baseAddress! + total, capacity) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .system(SystemError("read", path: path))
            }
            if got == 0 { break }
            total += got
            guard total <= maxBytes else { throw .tooLarge(path: path, size: total, limit: maxBytes) }
        }
        data.count = total
        return data
    }

    /// "a directory", "a FIFO", …: what a non-regular file is, for messages.
    static func kindName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: "a directory"
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFLNK: "a symbolic link"
        default: "a special file"
        }
    }
}
