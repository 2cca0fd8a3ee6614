import Foundation
import Glibc

/// What a top-level entry looks like at one moment: every file, directory and link below it with size and mtime.
///
/// Two equal snapshots taken a settle period apart are half of what "settled" means; the other half is silence.
public struct EntrySnapshot: Equatable, Hashable, Sendable {
    /// One item below the entry; `path` is relative to the entry and empty for the entry itself.
    public struct Item: Equatable, Hashable, Sendable {
        public enum Kind: Equatable, Hashable, Sendable { case file, directory, symbolicLink, other }

        public let path: String
        public let kind: Kind
        public let size: Int64
        /// Modification time in nanoseconds since the epoch.
        public let modified: Int64

        public init(path: String, kind: Kind, size: Int64, modified: Int64) {
            self.path = path
            self.kind = kind
            self.size = size
            self.modified = modified
        }

        /// The last path component, or "" for the entry itself.
        public var name: String { path.split(separator: "/").last.map(String.init) ?? "" }
    }

    /// Items sorted by path; the entry itself (path "") comes first.
    public let items: [Item]

    public init(items: [Item]) {
        self.items = items.sorted { $0.path < $1.path }
    }

    /// The regular files, in path order.
    public var files: [Item] { items.filter { $0.kind == .file } }

    /// The sum of the regular files' sizes.
    public var totalSize: Int64 { files.reduce(0) { $0 + $1.size } }

    /// Lists `url` recursively without following links, skipping nothing; nil when nothing exists there.
    ///
    /// Items that vanish while being listed are left out rather than failing the look: the next look sees the change.
    public static func take(_ url: URL) -> EntrySnapshot? {
        let root = url.path
        guard let top = status(of: root, relativePath: "") else { return nil }
        var items = [top]
        if top.kind == .directory { collect(directory: root, relativePath: "", into: &items) }
        return EntrySnapshot(items: items)
    }

    private static func collect(directory: String, relativePath: String, into items: inout [Item]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names {
            let childRelative = relativePath.isEmpty ? name : relativePath + "/" + name
            guard let item = status(of: directory + "/" + name, relativePath: childRelative) else { continue }
            items.append(item)
            if item.kind == .directory { collect(directory: directory + "/" + name, relativePath: childRelative, into: &items) }
        }
    }

    private static func status(of path: String, relativePath: String) -> Item? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        let kind: Item.Kind
        switch info.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        // A directory's size says nothing about completeness and changes with its entries; keep it out.
        let size = kind == .directory ? 0 : Int64(info.st_size)
        return Item(path: relativePath, kind: kind, size: size, modified: modified)
    }
}
