import Glibc
import SystemIO

/// An open file descriptor with the few reads and writes zip work needs; failures become `ZipError.io` naming the file.
final class RawFile {
    let path: String
    private(set) var fd: Int32
    /// For a file created for writing: bytes written since its disk writeback was last started.
    private var sinceWriteback = 0
    private let startsWriteback: Bool

    /// Bytes written between two starts of writeback (`FileOperations.startWriteback`), so a large archive reaches
    /// the disk while it is being written rather than all at once in `sync()`.
    static let writebackInterval = 16 << 20

    private init(path: String, fd: Int32, startsWriteback: Bool = false) {
        self.path = path
        self.fd = fd
        self.startsWriteback = startsWriteback
    }

    deinit {
        if fd >= 0 { Glibc.close(fd) }
    }

    static func openForReading(_ path: String) throws(ZipError) -> RawFile {
        try open(path, flags: O_RDONLY | O_CLOEXEC, mode: 0)
    }

    /// Creates (or truncates) a file for writing.
    static func create(_ path: String, exclusive: Bool = false, mode: mode_t = 0o644) throws(ZipError) -> RawFile {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL | O_NOFOLLOW : O_TRUNC)
        return try open(path, flags: flags, mode: mode, startsWriteback: true)
    }

    /// Opens an existing file for reading and writing at its start, not following a symlink (a resumed archive,
    /// whose writeback starts early as a created one's does).
    static func openForUpdate(_ path: String) throws(ZipError) -> RawFile {
        try open(path, flags: O_RDWR | O_NOFOLLOW | O_CLOEXEC, mode: 0, startsWriteback: true)
    }

    private static func open(_ path: String, flags: Int32, mode: mode_t, startsWriteback: Bool = false) throws(ZipError) -> RawFile {
        do {
            let fd = try retryOnInterrupt("open", path: path) { Glibc.open(path, flags, mode) }
            return RawFile(path: path, fd: fd, startsWriteback: startsWriteback)
        } catch {
            throw .io(file: path, detail: error.description)
        }
    }

    /// The file's current size in bytes.
    func size() throws(ZipError) -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure("fstat") }
        return UInt64(info.st_size)
    }

    /// Reads up to `buffer.count` bytes at the current position; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
        do {
            return try retryOnInterrupt("read", path: path) { Glibc.read(fd, buffer.baseAddress, buffer.count) }
        } catch {
            throw .io(file: path, detail: error.description)
        }
    }

    /// Reads exactly `count` bytes at `offset`, or fewer only at end of file.
    func read(count: Int, at offset: UInt64) throws(ZipError) -> [UInt8] {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        defer { buffer.deallocate() }
        let got = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]), at: offset)
        return Array(buffer[0..<got])
    }

    /// Fills `buffer` from `offset`, stopping early only at end of file; returns how many bytes were read.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64) throws(ZipError) -> Int {
        // Offsets come from untrusted headers: past off_t's range there is nothing to read (off_t(offset) trapped).
        guard offset <= UInt64(Int64.max - Int64(buffer.count)) else { return 0 }
        var done = 0
        while done < buffer.count {
            let got: Int
            do {
                got = try retryOnInterrupt("pread", path: path) {
                    pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                }
            } catch {
                throw .io(file: path, detail: error.description)
            }
            if got == 0 { break }
            done += got
        }
        return done
    }

    /// Writes all of `bytes` at the current position.
    func write(_ bytes: UnsafeRawBufferPointer) throws(ZipError) {
        var done = 0
        while done < bytes.count {
            do {
                done += try retryOnInterrupt("write", path: path) {
                    Glibc.write(fd, bytes.baseAddress! + done, bytes.count - done)
                }
            } catch {
                throw .io(file: path, detail: error.description)
            }
        }
        guard startsWriteback else { return }
        sinceWriteback += done
        if sinceWriteback >= Self.writebackInterval {
            FileOperations.startWriteback(fd: fd)
            sinceWriteback = 0
        }
    }

    /// Writes all of `bytes` at the current position.
    func write(_ bytes: [UInt8]) throws(ZipError) {
        let failure: ZipError? = bytes.withUnsafeBytes { buffer in
            do throws(ZipError) {
                try write(buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Writes all of `bytes` at `offset` without moving the file position.
    func write(_ bytes: [UInt8], at offset: UInt64) throws(ZipError) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("pwrite")
            }
            done += written
        }
    }

    /// Cuts the file to `length` bytes and moves the position there, so the next write appends at `length`.
    func truncate(to length: UInt64) throws(ZipError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw failure("ftruncate") }
        guard lseek(fd, off_t(length), SEEK_SET) >= 0 else { throw failure("lseek") }
    }

    func sync() throws(ZipError) {
        guard fsync(fd) == 0 else { throw failure("fsync") }
    }

    func close() throws(ZipError) {
        guard fd >= 0 else { return }
        let result = Glibc.close(fd)
        fd = -1
        guard result == 0 else { throw failure("close") }
    }

    private func failure(_ call: String) -> ZipError {
        .io(file: path, detail: SystemError(call, path: nil).description)
    }
}
