import FolderWatch
import Foundation
import SystemIO

/// Which files make up a dataset: images by extension (any case) and their `.txt` captions.
public enum DatasetFiles {
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

    /// The most files and folders a dataset walk reads before refusing the drop: room for 100,000-image jobs (each
    /// image with its caption) and more, still a bound on a hostile drop.
    static let maxEntries = 1_000_000

    /// The walker every dataset folder is read with (never follows a symlink; depth and count capped).
    static var walker: SafeDirectoryWalker { SafeDirectoryWalker(maxEntries: maxEntries) }

    public static func isImage(_ name: String) -> Bool {
        imageExtensions.contains((name as NSString).pathExtension.lowercased())
    }

    /// The caption's relative path for an image's relative path: `a/b.png` → `a/b.txt`.
    public static func captionPath(forImage relativePath: String) -> String {
        (relativePath as NSString).deletingPathExtension + ".txt"
    }

    /// Whether a name is hidden or a browser/editor temporary, never part of a dataset (the watcher's own rule,
    /// plus editors' `~` backups).
    public static func isIgnoredName(_ name: String) -> Bool {
        DropFilter.sluiceDrops.isIgnored(name: name) || name.hasSuffix("~")
    }

    /// Relative paths of the images under `folder`, sorted; hidden entries skipped; subfolders when `recursive`.
    public static func images(in folder: URL, recursive: Bool) throws -> [String] {
        try files(in: folder, recursive: recursive).filter(isImage)
    }

    /// Relative paths of every regular file under `folder` (hidden entries, symlinks and special files skipped), sorted.
    public static func files(in folder: URL, recursive: Bool) throws -> [String] {
        try scan(folder, recursive: recursive).files
    }

    /// Walks `folder` without leaving it (SafeDirectoryWalker: never follows a symlink, capped depth and count).
    public static func scan(_ folder: URL, recursive: Bool) throws -> DatasetScan {
        var scan = DatasetScan()
        for entry in try walker.walk(folder.path) {
            let parts = entry.relativePath.split(separator: "/").map(String.init)
            guard !parts.contains(where: isIgnoredName), recursive || parts.count == 1 else { continue }
            switch entry.kind {
            case .file:
                if entry.hasValidUTF8Name {
                    scan.files.append(entry.relativePath)
                } else {
                    scan.leftOut.append(.init(path: entry.relativePath, reason: "its name is not valid UTF-8"))
                }
            case .directory: continue
            case .symlink(let target): scan.leftOut.append(.init(path: entry.relativePath, reason: "a symbolic link to \(target) (not followed)"))
            case .special(let kind): scan.leftOut.append(.init(path: entry.relativePath, reason: "\(kind), not a regular file"))
            }
        }
        scan.files.sort()
        return scan
    }
}

/// What a safe walk of a dataset folder found: the regular files it may read, and what it left out and why.
public struct DatasetScan: Sendable, Equatable {
    public var files: [String] = []
    public var leftOut: [DatasetIndex.LeftOut] = []
}
