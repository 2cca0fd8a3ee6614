import Foundation
import Glibc

/// A real `rsync --daemon` on 127.0.0.1 with a generated rsyncd.conf, stopped by its pid.
public final class RsyncDaemon {
    public let port: Int
    public let modulePath: String
    private let process: Process

    public init(base: String) throws {
        port = try RsyncDaemon.freePort()
        modulePath = base + "/module"
        try FileManager.default.createDirectory(atPath: modulePath, withIntermediateDirectories: true)
        let config = base + "/rsyncd.conf"
        let text = """
            use chroot = no
            pid file = \(base)/rsyncd.pid
            log file = \(base)/rsyncd.log
            [pics]
                path = \(modulePath)
                read only = no
                uid = \(getuid())
                gid = \(getgid())

            """
        try Data(text.utf8).write(to: URL(fileURLWithPath: config))
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["rsync", "--daemon", "--no-detach", "--config=\(config)", "--address=127.0.0.1", "--port=\(port)"]
        try process.run()
        let port = self.port
        guard waitUntil(10, { RsyncDaemon.accepts(port: port) }) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "rsync daemon did not listen on \(port)"])
        }
    }

    public func stop() {
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    /// A port nothing listens on now: bind port 0 on loopback and read what the kernel chose.
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    public static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}

/// Polls `condition` until it holds or `seconds` pass.
public func waitUntil(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}
