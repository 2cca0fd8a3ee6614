import Glibc

/// An exclusive `flock` on a file, held for as long as the value lives; the kernel drops it if the process dies.
public final class FileLock: @unchecked Sendable {
    // Safe: its only state is an immutable descriptor; flock(2) itself is thread-safe.
    public enum Failure: Error, CustomStringConvertible {
        /// Another process holds the lock; `holderPID` is what that process wrote into the file, when readable.
        case heldByAnotherProcess(path: String, holderPID: Int32?)
        case system(SystemError)

        public var description: String {
            switch self {
            case .heldByAnotherProcess(let path, let pid):
                let who = pid.map { "process \($0)" } ?? "another process"
                return "\(path) is locked by \(who): another sluice is already running on this root"
            case .system(let error):
                return error.description
            }
        }
    }

    public let path: String
    private let fd: Int32

    /// Takes the lock without waiting, and writes our pid into the file.
    public init(path: String) throws(Failure) {
        self.path = path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .system(SystemError("open", path: path)) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            let holder = FileLock.readPID(fd: fd)
            close(fd)
            if code == EWOULDBLOCK { throw .heldByAnotherProcess(path: path, holderPID: holder) }
            throw .system(SystemError("flock", path: path, errno: code))
        }
        self.fd = fd
        ftruncate(fd, 0)
        let text = "\(getpid())\n"
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

    /// The pid a running holder wrote, or nil when the file is not locked (or holds no pid).
    public static func holder(of path: String) -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        return readPID(fd: fd)
    }

    private static func readPID(fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(fd, &buffer, 31, 0)
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        return Int32(text.filter { !$0.isWhitespace })
    }
}
