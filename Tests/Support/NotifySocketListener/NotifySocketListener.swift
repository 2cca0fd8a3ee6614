import Foundation
import Glibc

/// A real Unix datagram socket that plays systemd's side of sd_notify(3) in tests: bind it, hand its address to
/// the code under test as `NOTIFY_SOCKET`, then read the datagrams it sent.
public final class NotifySocketListener: @unchecked Sendable {
    // @unchecked Sendable: the descriptor is written once in init and closed once in deinit; recv(2) on it is
    // thread-safe, and each test reads from one task at a time.
    private let fd: Int32
    private let boundPath: String?
    /// The value to put into `NOTIFY_SOCKET`: a path, or `@name` for an abstract socket.
    public let address: String

    /// Binds a path socket inside `directory`, or an abstract socket when `directory` is nil.
    public init(directory: URL?) throws {
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var addressBytes: [UInt8]
        if let directory {
            let path = directory.appendingPathComponent("notify-\(UInt32.random(in: 0...UInt32.max)).sock").path
            boundPath = path
            address = path
            addressBytes = Array(path.utf8) + [0]
        } else {
            let name = "sluice-test-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            boundPath = nil
            address = "@" + name
            addressBytes = [0] + Array(name.utf8)
        }
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: addressBytes) }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + addressBytes.count)
        let result = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard result == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
    }

    deinit {
        close(fd)
        if let boundPath { unlink(boundPath) }
    }

    /// The next datagram, or nil when none arrives within `timeout` seconds.
    public func receive(timeout: TimeInterval) -> String? {
        var pollDescriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            let ready = poll(&pollDescriptor, 1, remaining)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { return nil }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            return String(decoding: buffer[..<count], as: UTF8.self)
        }
    }

    /// Datagrams until one satisfies `isLast` (included) or the deadline passes; everything received, in order.
    public func receive(until isLast: (String) -> Bool, timeout: TimeInterval) -> [String] {
        let deadline = Date().addingTimeInterval(timeout)
        var messages: [String] = []
        while let message = receive(timeout: max(0, deadline.timeIntervalSinceNow)) {
            messages.append(message)
            if isLast(message) { break }
        }
        return messages
    }
}
