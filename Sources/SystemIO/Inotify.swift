import CLinux
import Glibc

/// A typed inotify(7) instance: watches, a non-blocking event read, and a wait that another thread can interrupt.
///
/// All of the inotify pointer work in Sluice lives in this file. The instance is closed on `deinit`.
public final class Inotify: @unchecked Sendable {
    // Safe: its state is immutable descriptors; the kernel serializes reads, writes and watch changes on them.
    /// A watch descriptor as returned by `inotify_add_watch`.
    public struct Watch: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }
        public var description: String { "wd \(rawValue)" }
    }

    /// The bits of an inotify mask, both for what to watch and for what an event reports.
    public struct Mask: OptionSet, Hashable, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let access = Mask(rawValue: UInt32(IN_ACCESS))
        public static let modify = Mask(rawValue: UInt32(IN_MODIFY))
        public static let attributes = Mask(rawValue: UInt32(IN_ATTRIB))
        public static let closeWrite = Mask(rawValue: UInt32(IN_CLOSE_WRITE))
        public static let closeNoWrite = Mask(rawValue: UInt32(IN_CLOSE_NOWRITE))
        public static let open = Mask(rawValue: UInt32(IN_OPEN))
        public static let movedFrom = Mask(rawValue: UInt32(IN_MOVED_FROM))
        public static let movedTo = Mask(rawValue: UInt32(IN_MOVED_TO))
        public static let create = Mask(rawValue: UInt32(IN_CREATE))
        public static let delete = Mask(rawValue: UInt32(IN_DELETE))
        public static let deleteSelf = Mask(rawValue: UInt32(IN_DELETE_SELF))
        public static let moveSelf = Mask(rawValue: UInt32(IN_MOVE_SELF))

        /// The backing file system was unmounted; an `ignored` event follows.
        public static let unmounted = Mask(rawValue: UInt32(IN_UNMOUNT))
        /// The kernel's event queue overflowed (wd is -1): events were lost, so rescan.
        public static let queueOverflow = Mask(rawValue: UInt32(IN_Q_OVERFLOW))
        /// The watch was removed (explicitly, or because its directory was deleted or unmounted).
        public static let ignored = Mask(rawValue: UInt32(IN_IGNORED))
        /// The event's subject is a directory.
        public static let isDirectory = Mask(rawValue: UInt32(IN_ISDIR))

        /// Watch only if the path is a directory (closes the race of a directory replaced by a file).
        public static let onlyDirectory = Mask(rawValue: UInt32(IN_ONLYDIR))
        /// Do not follow a symbolic link at the watched path.
        public static let doNotFollow = Mask(rawValue: UInt32(IN_DONT_FOLLOW))
        /// Report no events for children after they were unlinked.
        public static let excludeUnlinked = Mask(rawValue: UInt32(IN_EXCL_UNLINK))
    }

    /// One event from the queue; `name` is the child's name, empty when the event is about the watched directory itself.
    public struct Event: Equatable, Sendable {
        public let watch: Watch
        public let mask: Mask
        /// Pairs a `movedFrom` with its `movedTo` (0 for other events).
        public let cookie: UInt32
        public let name: String

        public init(watch: Watch, mask: Mask, cookie: UInt32, name: String) {
            self.watch = watch
            self.mask = mask
            self.cookie = cookie
            self.name = name
        }
    }

    /// Why an inotify call failed; the limit cases say which sysctl to raise and how.
    public enum Failure: Error, CustomStringConvertible, Equatable, Sendable {
        /// `inotify_add_watch` failed with ENOSPC: the per-user watch limit is reached.
        case watchLimitReached(path: String, limit: Int?)
        /// `inotify_init1` failed with EMFILE: the per-user instance limit (or the open-file limit) is reached.
        case instanceLimitReached(limit: Int?)
        case system(SystemError)

        public var description: String {
            switch self {
            case .watchLimitReached(let path, let limit):
                let current = limit.map { " (now \($0))" } ?? ""
                return "cannot watch \(path): the inotify watch limit fs.inotify.max_user_watches\(current) is reached. "
                    + "Raise it with `sudo sysctl -w fs.inotify.max_user_watches=524288`, and keep it across reboots "
                    + "with a line `fs.inotify.max_user_watches=524288` in /etc/sysctl.d/90-sluice.conf"
            case .instanceLimitReached(let limit):
                let current = limit.map { " (now \($0))" } ?? ""
                return "cannot create an inotify instance: the limit fs.inotify.max_user_instances\(current) is reached "
                    + "(or this process's open-file limit, see `ulimit -n`). Raise it with "
                    + "`sudo sysctl -w fs.inotify.max_user_instances=1024`, and keep it across reboots with a line "
                    + "`fs.inotify.max_user_instances=1024` in /etc/sysctl.d/90-sluice.conf"
            case .system(let error):
                return error.description
            }
        }
    }

    /// What `wait(timeoutMilliseconds:)` returned for.
    public enum WaitResult: Equatable, Sendable {
        case readable
        case woken
        case timedOut
    }

    private let fd: Int32
    /// A self-pipe: `wake()` writes to `wakeWrite` so a `wait` blocked in poll(2) returns.
    private let wakeRead: Int32
    private let wakeWrite: Int32

    /// Creates a non-blocking, close-on-exec inotify instance.
    public init() throws(Failure) {
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else {
            let code = errno
            if code == EMFILE { throw .instanceLimitReached(limit: Inotify.limit("max_user_instances")) }
            throw .system(SystemError("inotify_init1", errno: code))
        }
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            let code = errno
            close(fd)
            throw .system(SystemError("pipe", errno: code))
        }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        self.fd = fd
        self.wakeRead = ends[0]
        self.wakeWrite = ends[1]
    }

    deinit {
        close(fd)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Adds (or updates) a watch on `path`; watching the same inode again returns the same descriptor.
    public func addWatch(path: String, mask: Mask) throws(Failure) -> Watch {
        let result: Int32
        do {
            result = try retryOnInterrupt("inotify_add_watch", path: path) { inotify_add_watch(fd, path, mask.rawValue) }
        } catch {
            if error.errno == ENOSPC { throw .watchLimitReached(path: path, limit: Inotify.limit("max_user_watches")) }
            throw .system(error)
        }
        return Watch(rawValue: result)
    }

    /// Removes a watch; a watch the kernel already dropped (EINVAL) is not an error.
    public func removeWatch(_ watch: Watch) {
        _ = inotify_rm_watch(fd, watch.rawValue)
    }

    /// Reads every event queued now without blocking; returns an empty array when there is none.
    public func readEvents() throws(Failure) -> [Event] {
        var events: [Event] = []
        // Large enough for many events per read; each event is at most 16 + NAME_MAX + 1 bytes.
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK { return events }
                throw .system(SystemError("read inotify", errno: code))
            }
            if count == 0 { return events }
            events += Inotify.parse(buffer[0..<count])
        }
    }

    /// Blocks until events are queued, `wake()` is called, or the timeout passes (nil waits indefinitely).
    public func wait(timeoutMilliseconds: Int32?) throws(Failure) -> WaitResult {
        var fds = [
            pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0),
        ]
        let ready: Int32
        do {
            ready = try retryOnInterrupt("poll inotify") { poll(&fds, 2, timeoutMilliseconds ?? -1) }
        } catch {
            throw .system(error)
        }
        if ready == 0 { return .timedOut }
        if fds[1].revents != 0 {
            var drain = [UInt8](repeating: 0, count: 64)
            while drain.withUnsafeMutableBytes({ read(wakeRead, $0.baseAddress, $0.count) }) > 0 {}
            return .woken
        }
        return .readable
    }

    /// Makes a pending or the next `wait` return `.woken`; safe to call from any thread.
    public func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Parses a buffer read from an inotify descriptor.
    ///
    /// Swift drops `struct inotify_event`'s variable-length `name`, so the layout is read by hand:
    /// `int wd; uint32_t mask; uint32_t cookie; uint32_t len; char name[len]` (name NUL-padded).
    public static func parse(_ bytes: ArraySlice<UInt8>) -> [Event] {
        var events: [Event] = []
        let headerSize = 16
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset + headerSize <= raw.count {
                let wd = raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)
                let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                let cookie = raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)
                let length = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                let nameStart = offset + headerSize
                guard nameStart + length <= raw.count else { break }
                var nameEnd = nameStart
                while nameEnd < nameStart + length && raw[nameEnd] != 0 { nameEnd += 1 }
                let name = String(decoding: UnsafeRawBufferPointer(rebasing: raw[nameStart..<nameEnd]), as: UTF8.self)
                events.append(Event(watch: Watch(rawValue: wd), mask: Mask(rawValue: mask), cookie: cookie, name: name))
                offset = nameStart + length
            }
        }
        return events
    }

    /// The current value of `/proc/sys/fs/inotify/<name>`, for error messages.
    static func limit(_ name: String) -> Int? {
        let path = "/proc/sys/fs/inotify/\(name)"
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return Int(String(decoding: buffer[0..<count], as: UTF8.self).filter { !$0.isWhitespace })
    }
}
