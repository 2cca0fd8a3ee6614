import FolderWatch
import Foundation

/// Which files make up a dataset: images by extension (any case) and their `.txt` captions.
public enum DatasetFiles {
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

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

    /// Relative paths of every regular file under `folder` (hidden entries skipped), sorted.
    public static func files(in folder: URL, recursive: Bool) throws -> [String] {
        var result: [String] = []
        try collect(folder, prefix: "", recursive: recursive, into: &result)
        return result.sorted()
    }

    private static func collect(_ folder: URL, prefix: String, recursive: Bool, into result: inout [String]) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        for name in names where !isIgnoredName(name) {
            let url = folder.appendingPathComponent(name)
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if recursive { try collect(url, prefix: relative, recursive: recursive, into: &result) }
            } else {
                result.append(relative)
            }
        }
    }
}
