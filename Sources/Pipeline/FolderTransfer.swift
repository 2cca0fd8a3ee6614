import FolderWatch
import Foundation
import SystemIO

/// Moves a user's folder or file into Sluice's state (or back out) without losing anything.
public enum FolderTransfer {
    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// A rename on the same file system; across file systems a copy, verified file by file, then the source removed.
    public static func move(_ source: URL, to destination: URL) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try FileOperations.rename(source.path, to: destination.path)
            try FileOperations.syncDirectory(at: destination.deletingLastPathComponent().path)
            return
        } catch let error as SystemError where error.errno == EXDEV {
            // A different file system: copy, verify, then remove the source.
        }
        let staging = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).copying")
        try? manager.removeItem(at: staging)
        try manager.copyItem(at: source, to: staging)
        let expected = try inventory(of: source)
        let copied = try inventory(of: staging)
        guard expected == copied else {
            try? manager.removeItem(at: staging)
            throw Failure(message: "copy of \(source.path) to \(destination.path) did not verify (sizes differ); the source is left in place")
        }
        try FileOperations.rename(staging.path, to: destination.path)
        try FileOperations.syncDirectory(at: destination.deletingLastPathComponent().path)
        try manager.removeItem(at: source)
    }

    /// Relative path → size of every file below `url` (or of `url` itself), from the watcher's snapshot.
    static func inventory(of url: URL) throws -> [String: Int64] {
        guard let snapshot = EntrySnapshot.take(url) else { throw Failure(message: "\(url.path) is gone") }
        return Dictionary(snapshot.files.map { ($0.path, $0.size) }, uniquingKeysWith: { first, _ in first })
    }

    /// An independent copy of a regular file (reflink where the file system can, else the bytes): never a hard link,
    /// so editing the copy in review/ can never change the user's original; a symlink is refused, never followed.
    public static func cloneOrCopy(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileClone.cloneOrCopy(from: source.path, to: destination.path)
    }

    /// Copies `source` when it is a regular file (by `lstat`: a symlink is not followed) and says whether it did.
    public static func cloneIfRegularFile(_ source: URL, to destination: URL) throws -> Bool {
        var info = stat()
        guard lstat(source.path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return false }
        try cloneOrCopy(source, to: destination)
        return true
    }
}
