import CLinux
import Glibc

/// Makes an independent copy of a file that never shares an inode with it (never a hard link), so editing the
/// copy can never change the original.
public enum FileClone {
    /// How the copy was made.
    public enum Method: String, Sendable, Equatable {
        /// FICLONE: the file systems shares extents copy-on-write (btrfs, XFS); costs no data I/O.
        case reflink
        /// The bytes were copied (copy_file_range in the kernel, else read/write).
        case copy
    }

    /// Copies `source` (a regular file, not followed if a symlink) to `destination`, which must not exist; a
    /// partial destination is removed on failure. The copy is not fsynced: the caller flushes when it needs to.
    @discardableResult
    public static func cloneOrCopy(from source: String, to destination: String) throws(SystemError) -> Method {
        let input = try retryOnInterrupt("open", path: source) { open(source, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK) }
        defer { close(input) }
        var info = stat()
        try retryOnInterrupt("fstat", path: source) { fstat(input, &info) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw SystemError("open", path: source, errno: EINVAL) }
        let output = try retryOnInterrupt("open", path: destination) {
            open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, info.st_mode & 0o666)
        }
        do {
            let method = try copyContents(from: input, to: output, size: Int(info.st_size), source: source, destination: destination)
            try retryOnInterrupt("close", path: destination) { close(output) }
            return method
        } catch {
            close(output)
            unlink(destination)
            throw error
        }
    }

    private static func copyContents(
        from input: Int32, to output: Int32, size: Int, source: String, destination: String
    ) throws(SystemError) -> Method {
        if sluice_ficlone(output, input) == 0 { return .reflink }
        // EOPNOTSUPP/ENOTTY (ext4, tmpfs), EXDEV (another file system), EINVAL: fall back to copying.
        var copied = 0
        var useKernelCopy = true
        while true {
            let got: Int
            if useKernelCopy {
                let result = sluice_copy_file_range(input, output, UInt(max(size - copied, 1 << 20)))
                if result < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    guard copied == 0, [EXDEV, EINVAL, ENOSYS, EOPNOTSUPP, EBADF].contains(code) else {
                        throw SystemError("copy_file_range", path: destination, errno: code)
                    }
                    useKernelCopy = false
                    continue
                }
                got = result
            } else {
                got = try copyChunk(from: input, to: output, source: source, destination: destination)
            }
            if got == 0 { return .copy }
            copied += got
        }
    }

    /// One read/write round of at most 1 MiB; 0 at the end of the source.
    private static func copyChunk(from input: Int32, to output: Int32, source: String, destination: String) throws(SystemError) -> Int {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        let got = try retryOnInterrupt("read", path: source) { read(input, buffer, chunk) }
        var written = 0
        while written < got {
            written += try retryOnInterrupt("write", path: destination) { write(output, buffer + written, got - written) }
        }
        return got
    }
}
