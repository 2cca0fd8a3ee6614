import CLinux
import Foundation
import Glibc

/// Replaces many files at once: each one atomically (a temp file renamed over it), all of them made durable
/// together, so a batch costs one flush of the file system and one fsync per folder instead of two fsyncs per file.
///
/// The order is the one `FileOperations.writeAtomically` keeps for one file, applied to the whole batch:
/// 1. every temp file is written (on `threads` worker threads);
/// 2. the temps are flushed (one `syncfs` per file system, or an fsync of each from the workers);
/// 3. every temp is renamed over its target;
/// 4. each touched folder is fsynced once.
/// A crash before step 3 leaves every target as it was (plus `TemporaryName` temps the sweep removes); a crash during
/// step 3 or 4 leaves each target either old or new, never partial.
public struct DurableBatch: Sendable {
    /// How the temp files reach the disk before they are renamed.
    public enum Flush: Sendable, Equatable {
        /// One `syncfs(2)` per file system the batch touches: the cheapest for large batches, but it also flushes
        /// other dirty data on that file system.
        case syncFileSystem
        /// `fsync(2)` of each temp from the worker threads, which lets the file system commit them together.
        case fsyncEach
        /// Rename only (as exiftool writes): readers never see half a file, but a power cut may lose the batch.
        case renameOnly
    }

    /// One file to write: its final path and its new contents.
    public struct Write: Sendable {
        public var path: String
        public var bytes: [UInt8]

        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    public var flush: Flush
    /// Worker threads writing (and, with `.fsyncEach`, flushing) the temps.
    public var threads: Int
    /// Below this many writes `.syncFileSystem` falls back to `.fsyncEach`: a few fsyncs cost less than flushing
    /// everything else dirty on the file system.
    public var syncFileSystemMinimum: Int

    public init(flush: Flush = .syncFileSystem, threads: Int = ProcessInfo.processInfo.activeProcessorCount, syncFileSystemMinimum: Int = 32) {
        self.flush = flush
        self.threads = max(1, threads)
        self.syncFileSystemMinimum = syncFileSystemMinimum
    }

    /// Writes every entry; the result at each index is nil when that target now holds the new bytes durably, or
    /// the error that left it untouched (or, when only the final folder fsync failed, replaced but not durable).
    /// - Parameters:
    ///   - flushingAlso: files written earlier (outside the batch) that must be durable before any rename, such as
    ///     hard-linked backups whose data may not have reached the disk.
    ///   - syncingFirst: folders whose entries must be durable before any rename (for example a backup folder).
    public func write(_ writes: [Write], flushingAlso files: [String] = [], syncingFirst folders: Set<String> = []) -> [SystemError?] {
        guard !writes.isEmpty else { return [] }
        var outcomes = [SystemError?](repeating: nil, count: writes.count)
        let flushMode = flush == .syncFileSystem && writes.count < syncFileSystemMinimum ? .fsyncEach : flush

        // 1–2a. Temps, written (and fsynced when asked) on the workers.
        let staged = WorkerPool.map(count: writes.count, threads: threads) { index -> Result<String, SystemError> in
            Result { () throws(SystemError) -> String in
                try Self.stage(writes[index], fsync: flushMode == .fsyncEach)
            }
        }
        var temporaries = [String?](repeating: nil, count: writes.count)
        for (index, result) in staged.enumerated() {
            switch result {
            case .success(let temporary): temporaries[index] = temporary
            case .failure(let error): outcomes[index] = error
            }
        }

        // 2b. Everything else that must be durable before the renames.
        do {
            switch flushMode {
            case .syncFileSystem:
                let stagedFolders = Set(writes.indices.filter { temporaries[$0] != nil }.map { Self.folder(of: writes[$0].path) })
                try Self.syncFileSystems(containing: stagedFolders.union(folders))
            case .fsyncEach:
                let failures = WorkerPool.map(count: files.count, threads: threads) { index -> SystemError? in
                    do { try FileOperations.syncFile(at: files[index]) } catch { return error as? SystemError ?? SystemError("fsync", path: files[index], errno: EIO) }
                    return nil
                }
                if let failure = failures.compactMap({ $0 }).first { throw failure }
            case .renameOnly:
                break
            }
            if flushMode != .renameOnly {
                for folder in folders.sorted() { try Self.syncDirectory(folder) }
            }
        } catch {
            let failure = error as? SystemError ?? SystemError("syncfs", errno: EIO)
            for index in writes.indices {
                if let temporary = temporaries[index] { unlink(temporary) }
                if outcomes[index] == nil { outcomes[index] = failure }
            }
            return outcomes
        }

        // 3. Renames, then 4. one fsync per folder.
        var touched: [String: [Int]] = [:]
        for index in writes.indices {
            guard let temporary = temporaries[index] else { continue }
            if Glibc.rename(temporary, writes[index].path) != 0 {
                outcomes[index] = SystemError("rename", path: writes[index].path)
                unlink(temporary)
                continue
            }
            touched[Self.folder(of: writes[index].path), default: []].append(index)
        }
        guard flushMode != .renameOnly else { return outcomes }
        for (folder, indices) in touched.sorted(by: { $0.key < $1.key }) {
            do {
                try Self.syncDirectory(folder)
            } catch {
                for index in indices { outcomes[index] = error }
            }
        }
        return outcomes
    }

    /// Makes the entries of `folders` durable (one fsync each), after flushing the file systems holding them when
    /// `flushingData` (files copied into them, not only linked): for work done outside `write`, such as links.
    public static func syncFolders(_ folders: Set<String>, flushingData: Bool) throws(SystemError) {
        if flushingData { try syncFileSystems(containing: folders) }
        for folder in folders.sorted() { try syncDirectory(folder) }
    }

    /// Removes temp files (`TemporaryName`, shared with `FileOperations.writeAtomically`) an interrupted write left in
    /// `folder` (not recursive); returns how many.
    @discardableResult
    public static func sweepTemporaries(in folder: String) -> Int {
        TemporaryName.sweep(in: folder)
    }

    // MARK: - Steps

    /// Writes one temp beside the target (a fresh name, never an existing file) and returns its path.
    private static func stage(_ write: Write, fsync shouldSync: Bool) throws(SystemError) -> String {
        let folder = folder(of: write.path)
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<16 {
            temporary = folder + "/" + TemporaryName.make()
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { break }
            let code = errno
            if code == EEXIST || code == EINTR { continue }
            throw SystemError("open", path: temporary, errno: code)
        }
        guard fd >= 0 else { throw SystemError("open", path: temporary, errno: EEXIST) }
        do throws(SystemError) {
            let written = write.bytes.withUnsafeBytes { buffer -> Result<Void, SystemError> in
                var offset = 0
                while offset < buffer.count {
                    let count = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if count < 0 {
                        if errno == EINTR { continue }
                        return .failure(SystemError("write", path: temporary))
                    }
                    offset += count
                }
                return .success(())
            }
            try written.get()
            if shouldSync { try retryOnInterrupt("fsync", path: temporary) { fsync(fd) } }
            close(fd)
            return temporary
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
    }

    /// The one temp-name scheme of Sluice (`TemporaryName`): fixed length, recognized by the start-up sweep.
    static func temporaryName() -> String { TemporaryName.make() }

    /// One syncfs per distinct file system among `folders`.
    static func syncFileSystems(containing folders: Set<String>) throws(SystemError) {
        var devices: Set<UInt64> = []
        for folder in folders.sorted() {
            let fd = try retryOnInterrupt("open", path: folder) { open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw SystemError("fstat", path: folder) }
            guard devices.insert(UInt64(info.st_dev)).inserted else { continue }
            try retryOnInterrupt("syncfs", path: folder) { sluice_syncfs(fd) }
        }
    }

    private static func syncDirectory(_ folder: String) throws(SystemError) {
        let fd = try retryOnInterrupt("open", path: folder) { open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }
        defer { close(fd) }
        try retryOnInterrupt("fsync", path: folder) { fsync(fd) }
    }

    /// The folder part of a path ("." for a bare name).
    public static func folder(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.utf8.startIndex ? "/" : String(path[..<slash])
    }
}
