import Glibc

/// sd_notify(3) datagrams to $NOTIFY_SOCKET; every call is a no-op when the variable is unset.
public enum ServiceNotification {
    /// The service is up (every root watched and reconciled, or a reload finished): `READY=1` with a status line.
    public static func ready(status: String) {
        send("READY=1\nSTATUS=\(oneLine(status))")
    }

    /// A reload (SIGHUP) started; systemd waits for the next `ready` before it reports the reload done.
    public static func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let microseconds = UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        send("RELOADING=1\nMONOTONIC_USEC=\(microseconds)")
    }

    /// The service is shutting down (SIGTERM or SIGINT).
    public static func stopping() {
        send("STOPPING=1")
    }

    /// A one-line summary shown by `systemctl status`.
    public static func status(_ text: String) {
        send("STATUS=\(oneLine(text))")
    }

    /// Sends one datagram to `socketPath` (default `$NOTIFY_SOCKET`); a path starting with `@` is an abstract
    /// socket. Best effort, as sd_notify is: returns whether the datagram was sent, and never throws.
    @discardableResult
    static func send(_ payload: String, socketPath: String? = environmentSocket()) -> Bool {
        guard let socketPath, !socketPath.isEmpty else { return false }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        let isAbstract = pathBytes.first == UInt8(ascii: "@")
        guard isAbstract || pathBytes.first == UInt8(ascii: "/") else { return false }
        if isAbstract { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        // A path socket needs room for its terminating NUL; an abstract name is exactly its bytes.
        guard pathBytes.count + (isAbstract ? 0 : 1) <= capacity else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: pathBytes)
        }
        let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + pathBytes.count + (isAbstract ? 0 : 1)

        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let bytes = Array(payload.utf8)
        let sent = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bytes.withUnsafeBytes { buffer in
                    var result: Int
                    repeat {
                        result = sendto(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL), socketAddress, socklen_t(length))
                    } while result < 0 && errno == EINTR
                    return result
                }
            }
        }
        return sent == bytes.count
    }

    static func environmentSocket() -> String? {
        getenv("NOTIFY_SOCKET").map { String(cString: $0) }
    }

    /// A status line with newlines flattened, so it cannot inject other assignments into the datagram.
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
