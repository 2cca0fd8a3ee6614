import Foundation
import Glibc
import SystemIO

/// Keeps a caption's original beside the backups before the caption is replaced: a hard link to its inode (no
/// copy), or where links are impossible (another file system, FAT, SMB) its bytes written atomically.
public enum CaptionBackup {
    /// Backs up `caption` (whose bytes are `original`) as `backup`; returns whether it made a hard link (whose shared
    /// data the caller must make durable). An existing backup is never overwritten: after an interrupted run it holds
    /// the older original. The folder of `backup` must exist.
    public static func keep(_ caption: String, original: Data, at backup: String) throws -> Bool {
        do {
            try retryOnInterrupt("link", path: backup) { Glibc.link(caption, backup) }
            return true
        } catch {
            if error.errno == EEXIST || FileManager.default.fileExists(atPath: backup) { return false }
            try FileOperations.writeAtomically(original, to: URL(fileURLWithPath: backup))
            return false
        }
    }
}
