import Foundation

/// The captions of a dataset folder: every `.txt` beside an image of the same name, found recursively,
/// skipping files and folders whose names start with `.` (such as `.sluice-backups`).
public struct CaptionFolder: Sendable {
    /// Image extensions (compared lowercased) a caption may sit beside.
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp"]

    /// What a scan found.
    public struct Contents: Sendable, Equatable {
        /// Caption paths relative to the folder, sorted.
        public var captions: [String]
        /// `.txt` files without an image beside them, relative and sorted.
        public var orphans: [String]
    }

    public let root: URL

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Lists the captions under the folder.
    /// - Throws: `CaptionReadError.unreadable` when the folder (or a subfolder) cannot be listed.
    public func scan() throws(CaptionReadError) -> Contents {
        var contents = Contents(captions: [], orphans: [])
        try scan(relative: "", into: &contents)
        contents.captions.sort()
        contents.orphans.sort()
        return contents
    }

    private func scan(relative: String, into contents: inout Contents) throws(CaptionReadError) {
        let folder = relative.isEmpty ? root.path : root.path + "/" + relative
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw CaptionReadError.unreadable(path: folder, reason: (error as NSError).localizedDescription)
        }
        var imageStems: Set<String> = []
        var captions: [(stem: String, name: String)] = []
        var subfolders: [String] = []
        for name in names where !name.hasPrefix(".") {
            let dot = name.lastIndex(of: ".")
            let stem = dot.map { String(name[..<$0]) } ?? name
            let ext = dot.map { name[name.index(after: $0)...].lowercased() } ?? ""
            if ext == "txt" {
                captions.append((stem, name))
            } else if Self.imageExtensions.contains(ext) {
                imageStems.insert(stem)
            } else {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), isDirectory.boolValue {
                    subfolders.append(name)
                }
            }
        }
        for (stem, name) in captions {
            let path = relative.isEmpty ? name : relative + "/" + name
            if imageStems.contains(stem) { contents.captions.append(path) } else { contents.orphans.append(path) }
        }
        for name in subfolders.sorted() {
            try scan(relative: relative.isEmpty ? name : relative + "/" + name, into: &contents)
        }
    }
}
