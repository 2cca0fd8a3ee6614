import Foundation
import Glibc
import SystemIO

extension DatasetNormalizer {
    /// Normalizes every caption of a dataset folder in place. All captions are read (and checked to be UTF-8)
    /// before anything is written; each changed caption's original is then backed up into `backupDirectory`
    /// (same relative path) before it is replaced atomically. A dry run writes nothing at all.
    /// - Throws: `CaptionReadError` naming the first unreadable or non-UTF-8 caption (nothing rewritten), or
    ///   `CaptionWriteError` naming the caption that could not be backed up or written.
    public func normalizeFolder(at folder: URL, backupDirectory: URL, dryRun: Bool) throws -> NormalizationReport {
        let contents = try CaptionFolder(root: folder).scan()
        let root = folder.standardizedFileURL.path
        let paths = contents.captions
        let ranges = ParallelWork.ranges(total: paths.count, pieces: ProcessInfo.processInfo.activeProcessorCount * 4, minimum: 256)

        let read = ParallelWork.map(count: ranges.count) { index -> Result<[(Data, String)], CaptionReadError> in
            Result { () throws(CaptionReadError) -> [(Data, String)] in
                try ranges[index].map { position throws(CaptionReadError) in
                    let file = root + "/" + paths[position]
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw CaptionReadError.unreadable(path: file, reason: "cannot open the file")
                    }
                    return (data, try CaptionText.decode(data, path: file))
                }
            }
        }
        var originals: [Data] = []
        var texts: [String] = []
        originals.reserveCapacity(paths.count)
        texts.reserveCapacity(paths.count)
        for result in read {
            for (data, text) in try result.get() {
                originals.append(data)
                texts.append(text)
            }
        }

        let normalization = normalize(paths: paths, texts: texts)
        var report = normalization.report
        report.skippedFiles = contents.orphans
        report.isDryRun = dryRun
        guard !dryRun, !normalization.changes.isEmpty else { return report }

        let positions = Dictionary(uniqueKeysWithValues: paths.enumerated().map { ($1, $0) })
        let changed = normalization.changes.map { positions[$0.path]! }
        // Writers wait on fsync most of the time; eight of them let the file system batch the flushes.
        let writeRanges = ParallelWork.ranges(total: changed.count, pieces: 32, minimum: 16)

        // 1. Every original is backed up, and the backups made durable, before any caption is replaced.
        let backupResults = ParallelWork.mapBlocking(count: writeRanges.count, threads: 8) { index -> Result<Set<String>, CaptionWriteError> in
            var folders: Set<String> = []
            for position in writeRanges[index].map({ changed[$0] }) {
                let caption = root + "/" + paths[position]
                let backup = backupDirectory.appendingPathComponent(paths[position])
                do {
                    let folder = backup.deletingLastPathComponent().path
                    if folders.insert(folder).inserted {
                        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                    }
                    try Self.backUp(caption: caption, original: originals[position], to: backup.path)
                } catch {
                    return .failure(.backupFailed(path: caption, backup: backup.path, reason: "\(error)"))
                }
            }
            return .success(folders)
        }
        var backupFolders: Set<String> = []
        for result in backupResults {
            switch result {
            case .success(let folders): backupFolders.formUnion(folders)
            case .failure(let error): throw error
            }
        }
        do {
            try Self.syncFolders(backupFolders, upTo: backupDirectory.deletingLastPathComponent().path)
        } catch {
            throw CaptionWriteError.backupFailed(path: root, backup: backupDirectory.path, reason: "\(error)")
        }

        // 2. Each caption is replaced atomically (temp file, fsync, rename, fsync the folder).
        let failures = ParallelWork.mapBlocking(count: writeRanges.count, threads: 8) { index -> CaptionWriteError? in
            for position in writeRanges[index].map({ changed[$0] }) {
                let caption = URL(fileURLWithPath: root + "/" + paths[position])
                do {
                    try FileOperations.writeAtomically(Data(normalization.texts[paths[position]]!.utf8), to: caption)
                } catch {
                    return .writeFailed(path: caption.path, backupDirectory: backupDirectory.path, reason: "\(error)")
                }
            }
            return nil
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        report.backupDirectory = backupDirectory.path
        return report
    }

    /// Backs up one caption. A hard link is enough (and costs no copy): the caption is later replaced by a rename,
    /// so the linked inode keeps the original bytes. Where links are impossible (another file system, FAT, SMB)
    /// the bytes are written atomically instead. An existing backup is never overwritten: after an interrupted
    /// run it holds the older original.
    static func backUp(caption: String, original: Data, to backup: String) throws {
        do {
            try retryOnInterrupt("link", path: backup) { Glibc.link(caption, backup) }
        } catch {
            if error.errno == EEXIST || FileManager.default.fileExists(atPath: backup) { return }
            try FileOperations.writeAtomically(original, to: URL(fileURLWithPath: backup))
            return
        }
        // The link shares the caption's data, which may not have reached the disk yet.
        try FileOperations.syncFile(at: caption)
    }

    /// Flushes the entries of the backup folders and of every folder between them and `top`.
    static func syncFolders(_ folders: Set<String>, upTo top: String) throws {
        var all: Set<String> = []
        for folder in folders {
            var current = folder
            while current.count > top.count, all.insert(current).inserted {
                current = (current as NSString).deletingLastPathComponent
            }
        }
        all.insert(top)
        for folder in all.sorted() { try FileOperations.syncDirectory(at: folder) }
    }
}
