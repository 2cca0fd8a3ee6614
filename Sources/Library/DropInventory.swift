import Foundation

/// The images of a drop, found recursively without following symbolic links, sorted by path so every run sees them
/// in the same order (batches are slices of this order).
public struct DropInventory: Sendable {
    /// One file the scan will look at: an image to read, or one refused before reading (with the reason).
    public struct Entry: Equatable, Sendable {
        public var relativePath: String
        public var refusal: String?
    }

    /// Extensions (lowercased) the library profile reads.
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif", "avif"]
    /// Folders deeper than this are not entered (a bound on hostile trees).
    public static let maximumDepth = 32
    /// A drop with more files than this is cut off there (reported).
    public static let maximumFiles = 1_000_000

    public var entries: [Entry] = []
    /// Problems with the tree itself (too deep, too many files, unreadable folders).
    public var warnings: [String] = []

    /// Lists `folder`; dot-files and dot-folders (Sluice's own and other tools' hidden files) are left out.
    public static func list(_ folder: String) -> DropInventory {
        var inventory = DropInventory()
        var seen = 0
        walk(folder, relative: "", depth: 0, into: &inventory, seen: &seen)
        inventory.entries.sort { $0.relativePath < $1.relativePath }
        return inventory
    }

    private static func walk(_ folder: String, relative: String, depth: Int, into inventory: inout DropInventory, seen: inout Int) {
        guard depth <= maximumDepth else {
            inventory.warnings.append("\(folder): more than \(maximumDepth) folders deep; not entered")
            return
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            inventory.warnings.append("\(folder): cannot list (\((error as NSError).localizedDescription))")
            return
        }
        for name in names.sorted() where !name.hasPrefix(".") {
            seen += 1
            guard seen <= maximumFiles else {
                if seen == maximumFiles + 1 { inventory.warnings.append("more than \(maximumFiles) files; the rest are left out") }
                return
            }
            let path = folder + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                walk(path, relative: relativePath, depth: depth + 1, into: &inventory, seen: &seen)
                continue
            }
            let ext = (name as NSString).pathExtension.lowercased()
            guard imageExtensions.contains(ext) else { continue }
            if type == S_IFLNK {
                inventory.entries.append(Entry(relativePath: relativePath, refusal: "a symbolic link: not followed"))
            } else if type != S_IFREG {
                inventory.entries.append(Entry(relativePath: relativePath, refusal: "not a regular file"))
            } else {
                inventory.entries.append(Entry(relativePath: relativePath, refusal: nil))
            }
        }
    }
}
