import Foundation
import Glibc

/// A file holding secrets that others can read.
public struct SecretFileError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var mode: UInt32

    public var description: String {
        let octal = String(mode & 0o777, radix: 8)
        return "\(path) holds API keys but is readable by group or others (mode \(octal)); "
            + "run `chmod 600 \(path)` or move the keys to the SLUICE_* environment variables"
    }
}

/// Refuses secrets from files that are group- or world-readable.
public enum SecretFilePolicy {
    /// Throws when the file's mode grants any permission to group or others.
    /// - Throws: `SecretFileError` naming the file and the chmod to run; a `POSIXError` when it cannot be examined.
    public static func checkPrivate(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let mode = UInt32(info.st_mode)
        if mode & 0o077 != 0 { throw SecretFileError(path: path, mode: mode) }
    }
}
