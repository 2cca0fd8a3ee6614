import Glibc

/// Walks a folder that a user (or an attacker) controls without ever leaving it.
///
/// Every folder is opened with `openat(parent, name, O_NOFOLLOW | O_DIRECTORY)` relative to the one above it, and
/// every entry is examined with `fstatat(AT_SYMLINK_NOFOLLOW)`, so a symlink (`loop -> .`, `passwd.txt ->
/// /etc/passwd`) is reported with its target and never followed, and renaming folders during the walk cannot
/// redirect it outside the root. Depth and entry count are capped.
public struct SafeDirectoryWalker: Sendable {
    /// What one entry is, as `lstat` sees it.
    public enum Kind: Sendable, Equatable {
        case file(size: Int64)
        case directory
        /// A symbolic link and the target it points to (read, never followed).
        case symlink(target: String)
        /// A FIFO, socket or device: never read.
        case special(String)
    }

    /// One entry below the root.
    public struct Entry: Sendable, Equatable {
        /// The path below the root, `/`-separated (invalid UTF-8 bytes shown as U+FFFD; see `hasValidUTF8Name`).
        public var relativePath: String
        public var kind: Kind
        /// Whether every component's name is valid UTF-8 (otherwise `relativePath` cannot reopen it).
        public var hasValidUTF8Name: Bool
        /// The inode's link count: more than 1 for a regular file means another name shares its bytes.
        public var linkCount: Int
    }

    /// Why a walk stopped.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case tooManyEntries(root: String, limit: Int)
        case tooDeep(path: String, limit: Int)
        case system(SystemError)

        public var description: String {
            switch self {
            case .tooManyEntries(let root, let limit): "\(root) holds more than \(limit) files and folders"
            case .tooDeep(let path, let limit): "\(path) is nested more than \(limit) folders deep"
            case .system(let error): error.description
            }
        }
    }

    public var maxDepth: Int
    public var maxEntries: Int

    public init(maxDepth: Int = 32, maxEntries: Int = 100_000) {
        self.maxDepth = maxDepth
        self.maxEntries = maxEntries
    }

    /// Every entry below `root` (the root itself must be a real folder, not a symlink), folders before their
    /// contents, names sorted bytewise within a folder.
    public func walk(_ root: String) throws(Failure) -> [Entry] {
        let rootFD: Int32
        do {
            rootFD = try retryOnInterrupt("open", path: root) { open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        } catch { throw .system(error) }
        var entries: [Entry] = []
        try walkFolder(rootFD, prefix: "", validUTF8: true, depth: 1, root: root, into: &entries)
        return entries
    }

    /// Opens a regular file below `root` by its relative path, refusing a symlink at every component.
    /// - Returns: a read-only descriptor the caller closes.
    public static func openRegularFile(root: String, relativePath: String) throws(SystemError) -> Int32 {
        var folder = try retryOnInterrupt("open", path: root) { open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
        let parts = relativePath.split(separator: "/").map(String.init)
        guard let last = parts.last, !parts.contains(".."), !parts.contains(".") else {
            close(folder)
            throw SystemError("open", path: root + "/" + relativePath, errno: EINVAL)
        }
        defer { close(folder) }
        for part in parts.dropLast() {
            let next = try retryOnInterrupt("openat", path: root + "/" + relativePath) {
                openat(folder, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            close(folder)
            folder = next
        }
        let fd = try retryOnInterrupt("openat", path: root + "/" + relativePath) {
            openat(folder, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw SystemError("open", path: root + "/" + relativePath, errno: EINVAL)
        }
        return fd
    }

    /// Lists one folder (consuming `fd`) and descends into its subfolders.
    private func walkFolder(
        _ fd: Int32, prefix: String, validUTF8: Bool, depth: Int, root: String, into entries: inout [Entry]
    ) throws(Failure) {
        guard let stream = fdopendir(fd) else {
            close(fd)
            throw .system(SystemError("fdopendir", path: root + "/" + prefix))
        }
        defer { closedir(stream) }
        var names: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(stream) else {
                if errno != 0 { throw .system(SystemError("readdir", path: root + "/" + prefix)) }
                break
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2E] || name == [0x2E, 0x2E] { continue }
            names.append(name)
        }
        names.sort { $0.lexicographicallyPrecedes($1) }
        let folderFD = dirfd(stream)
        for name in names {
            guard entries.count < maxEntries else { throw .tooManyEntries(root: root, limit: maxEntries) }
            let nameIsUTF8 = String(validating: name, as: UTF8.self) != nil
            let path = prefix + String(decoding: name, as: UTF8.self)
            var info = stat()
            let cName = name.map { CChar(bitPattern: $0) } + [0]
            guard fstatat(folderFD, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                throw .system(SystemError("fstatat", path: root + "/" + path))
            }
            let kind: Kind
            switch info.st_mode & S_IFMT {
            case S_IFREG: kind = .file(size: Int64(info.st_size))
            case S_IFDIR: kind = .directory
            case S_IFLNK: kind = .symlink(target: Self.linkTarget(folderFD, cName))
            default: kind = .special(RegularFileReader.kindName(info.st_mode))
            }
            entries.append(Entry(
                relativePath: path, kind: kind, hasValidUTF8Name: validUTF8 && nameIsUTF8, linkCount: Int(info.st_nlink)))
            guard kind == .directory else { continue }
            guard depth < maxDepth else { throw .tooDeep(path: root + "/" + path, limit: maxDepth) }
            let child = openat(folderFD, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { throw .system(SystemError("openat", path: root + "/" + path)) }
            try walkFolder(child, prefix: path + "/", validUTF8: validUTF8 && nameIsUTF8, depth: depth + 1, root: root, into: &entries)
        }
    }

    /// The target a symlink holds (at most PATH_MAX bytes), as text for the log.
    private static func linkTarget(_ folder: Int32, _ name: [CChar]) -> String {
        var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
        let count = buffer.withUnsafeMutableBytes { readlinkat(folder, name, $0.baseAddress!.assumingMemoryBound(to: CChar.self), $0.count) }
        return count < 0 ? "?" : String(decoding: buffer.prefix(count), as: UTF8.self)
    }
}
