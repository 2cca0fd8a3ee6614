import Foundation
import Glibc
import SystemIO

/// Fills a fresh staging folder with linked (or copied) images and new text files, made durable a batch at a time
/// through `DurableBatch`: one file-system flush and one fsync per folder per batch instead of two fsyncs per file.
///
/// A folder is created once (remembered), so each file costs a link and its share of a batch, not a round of stats.
struct StagingWriter {
    let root: URL
    let batchSize: Int
    let durability: DurableBatch
    private var pending: [DurableBatch.Write] = []
    private var createdFolders: Set<String> = []
    /// Folders whose entries changed through `link`/`clone` (and the parents of folders made) since `takeUnsynced()`.
    private var touchedFolders: Set<String> = []
    /// Whether `link`/`clone` copied data since `takeUnsynced()` (a clone without reflinks, a link across devices).
    private var copiedData = false

    init(root: URL, batchSize: Int = 1_000, durability: DurableBatch = DurableBatch()) {
        self.root = root
        self.batchSize = max(1, batchSize)
        self.durability = durability
    }

    /// Hard-links `source` as `relativePath` inside the staging folder (a copy across file systems).
    mutating func link(_ source: URL, as relativePath: String) throws {
        let destination = root.appendingPathComponent(relativePath, isDirectory: false)
        try ensureFolder(of: destination)
        touchedFolders.insert(destination.deletingLastPathComponent().path)
        if Glibc.link(source.path, destination.path) == 0 { return }
        // A link an interrupted run left (its caption not yet written) is replaced.
        if errno == EEXIST, unlink(destination.path) == 0, Glibc.link(source.path, destination.path) == 0 { return }
        copiedData = true
        try FileManager.default.copyItem(at: source, to: destination)
    }

    /// Copies `source` as `relativePath` (a reflink where the file system can, never a hard link): for files that
    /// land in review/, where the user may edit them, so they never share an inode with the job's copy of the drop.
    mutating func clone(_ source: URL, as relativePath: String) throws {
        let destination = root.appendingPathComponent(relativePath, isDirectory: false)
        try ensureFolder(of: destination)
        touchedFolders.insert(destination.deletingLastPathComponent().path)
        copiedData = true
        do {
            try FileClone.cloneOrCopy(from: source.path, to: destination.path)
        } catch where error.errno == EEXIST {
            // A copy an interrupted run left may be torn: it is never trusted, always made again.
            guard unlink(destination.path) == 0 else { throw SystemError("unlink", path: destination.path) }
            try FileClone.cloneOrCopy(from: source.path, to: destination.path)
        }
    }

    /// What `link`/`clone` left to make durable since the last call: the folders whose entries changed, and whether
    /// file data was copied (which needs a flush of its own, not only the folders').
    mutating func takeUnsynced() -> (folders: Set<String>, copiedData: Bool) {
        defer {
            touchedFolders = []
            copiedData = false
        }
        return (touchedFolders, copiedData)
    }

    /// Queues a text file; the batch is written once `batchSize` files wait. Returns true when a batch was written.
    @discardableResult
    mutating func write(_ text: String, as relativePath: String) throws -> Bool {
        try write(Array(text.utf8), as: relativePath)
    }

    /// Queues a file's bytes; the batch is written once `batchSize` files wait. Returns true when a batch was written.
    @discardableResult
    mutating func write(_ bytes: [UInt8], as relativePath: String) throws -> Bool {
        let destination = root.appendingPathComponent(relativePath, isDirectory: false)
        try ensureFolder(of: destination)
        pending.append(DurableBatch.Write(path: destination.path, bytes: bytes))
        guard pending.count >= batchSize else { return false }
        try flush()
        return true
    }

    /// Writes every queued file durably (their folders fsynced, which also makes the links beside them durable).
    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let outcomes = durability.write(pending)
        pending.removeAll(keepingCapacity: true)
        if let failure = outcomes.compactMap({ $0 }).first { throw failure }
    }

    /// A file's bytes, or nil when there is none (one open instead of a stat and then an open).
    static func contentsIfPresent(_ file: URL) throws -> [UInt8]? {
        if case .bytes(let bytes) = try contents(of: file) { return bytes }
        return nil
    }

    /// What stands at `file`, judged by `lstat`: a symlink or special file is never followed or read.
    enum Contents { case missing, notRegular, bytes([UInt8]) }

    /// A caption's bytes when it is a regular file (at most 16 MiB), else why there are none.
    static func contents(of file: URL) throws -> Contents {
        var info = stat()
        guard lstat(file.path, &info) == 0 else { return .missing }
        guard info.st_mode & S_IFMT == S_IFREG else { return .notRegular }
        return .bytes([UInt8](try RegularFileReader.read(file.path, maxBytes: 16 << 20)))
    }

    private mutating func ensureFolder(of file: URL) throws {
        let folder = file.deletingLastPathComponent()
        guard !createdFolders.contains(folder.path) else { return }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        createdFolders.insert(folder.path)
        // The new folders' entries in their parents, up to the staging folder's own entry in its parent.
        var parent = folder
        while parent.path.count >= root.path.count {
            parent = parent.deletingLastPathComponent()
            guard touchedFolders.insert(parent.path).inserted else { break }
        }
    }
}
