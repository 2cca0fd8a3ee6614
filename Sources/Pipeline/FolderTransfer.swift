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
        try copyTree(source, to: staging)
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

    /// Copies a file or folder without following any symlink: folders are recreated, regular files cloned or copied,
    /// symlinks recreated as links (never read; the index step names them). A special file or a name that is not
    /// UTF-8 cannot be carried over, so the move is refused rather than losing it with the source.
    static func copyTree(_ source: URL, to destination: URL) throws {
        var info = stat()
        guard lstat(source.path, &info) == 0 else { throw Failure(message: "\(source.path) is gone") }
        switch info.st_mode & S_IFMT {
        case S_IFREG: try FileClone.cloneOrCopy(from: source.path, to: destination.path)
        case S_IFLNK:
            let target = try FileManager.default.destinationOfSymbolicLink(atPath: source.path)
            try FileManager.default.createSymbolicLink(atPath: destination.path, withDestinationPath: target)
        case S_IFDIR:
            let entries = try DatasetFiles.walker.walk(source.path)
            let uncopyable = entries.filter { entry in
                if case .special = entry.kind { return true }
                return !entry.hasValidUTF8Name
            }
            guard uncopyable.isEmpty else {
                let names = uncopyable.prefix(5).map { LogSafeName.escaped($0.relativePath) }.joined(separator: ", ")
                throw Failure(message: "cannot copy \(source.path) to another file system: it holds special files or names that are not UTF-8 (\(names)); the source is left in place")
            }
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
            for entry in entries {
                let target = destination.appendingPathComponent(entry.relativePath)
                switch entry.kind {
                case .directory: try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
                case .file: try FileClone.cloneOrCopy(from: source.appendingPathComponent(entry.relativePath).path, to: target.path)
                case .symlink(let linkTarget): try FileManager.default.createSymbolicLink(atPath: target.path, withDestinationPath: linkTarget)
                case .special: continue
                }
            }
        default:
            throw Failure(message: "\(source.path) is not a regular file or folder; left in place")
        }
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
