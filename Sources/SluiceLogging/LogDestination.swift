import Foundation
import Glibc

/// Where log lines go and which format they take: journald when stderr is the stream systemd set up for it.
public enum LogDestination {
    /// The format for a descriptor (stderr): journald when `$JOURNAL_STREAM` names stderr's device and inode (systemd.exec(5):
    /// a child that inherits the variable but writes elsewhere must not use the journal format), else terminal.
    public static func format(forDescriptor descriptor: Int32 = STDERR_FILENO, environment: [String: String]) -> LogFormat {
        guard let stream = environment["JOURNAL_STREAM"], let identity = fileIdentity(of: descriptor) else {
            return .terminal
        }
        return isJournalStream(stream, device: identity.device, inode: identity.inode) ? .journal : .terminal
    }

    /// Whether `JOURNAL_STREAM`'s `<device>:<inode>` (decimal) names this device and inode.
    public static func isJournalStream(_ variable: String, device: UInt64, inode: UInt64) -> Bool {
        let parts = variable.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let streamDevice = UInt64(parts[0]), let streamInode = UInt64(parts[1]) else { return false }
        return streamDevice == device && streamInode == inode
    }

    /// The device and inode of an open descriptor (fstat(2)).
    public static func fileIdentity(of descriptor: Int32) -> (device: UInt64, inode: UInt64)? {
        var information = stat()
        guard fstat(descriptor, &information) == 0 else { return nil }
        return (UInt64(information.st_dev), UInt64(information.st_ino))
    }

    /// Writes a finished line to stderr in one write(2), so lines from several threads never interleave.
    @Sendable static func writeToStandardError(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }
}
