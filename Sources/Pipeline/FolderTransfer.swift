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

    /// Relative path → size of every file below `url` (or of `url` itself when it is a file).
    static func inventory(of url: URL) throws -> [String: Int] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw Failure(message: "\(url.path) is gone")
        }
        if !isDirectory.boolValue {
            return ["": try size(of: url)]
        }
        var result: [String: Int] = [:]
        let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey])
        while let item = enumerator?.nextObject() as? URL {
            let values = try item.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            if values.isRegularFile == true {
                result[String(item.path.dropFirst(url.path.count))] = values.fileSize ?? 0
            }
        }
        return result
    }

    private static func size(of url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Links a file into place (same file system), or copies it when linking is impossible.
    public static func linkOrCopy(_ source: URL, to destination: URL) throws {
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        if link(source.path, destination.path) == 0 { return }
        try FileManager.default.copyItem(at: source, to: destination)
    }
}
