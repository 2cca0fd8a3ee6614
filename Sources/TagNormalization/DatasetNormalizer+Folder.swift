import Foundation
import SystemIO

extension DatasetNormalizer {
    /// Normalizes every caption of a dataset folder in place, `folderBatchSize` captions at a time so memory stays
    /// flat. A first pass reads every caption (checking it is UTF-8) and counts its tags for the frequency rule,
    /// keeping nothing; only then does a second pass read, normalize and write each batch: each changed caption's
    /// original is backed up into `backupDirectory` (same relative path) before it is replaced atomically. A dry
    /// run writes nothing at all.
    /// - Throws: `CaptionReadError` naming the first unreadable or non-UTF-8 caption (nothing rewritten when the
    ///   first pass finds it), or `CaptionWriteError` naming the caption that could not be backed up or written.
    public func normalizeFolder(at folder: URL, backupDirectory: URL, dryRun: Bool) throws -> NormalizationReport {
        let contents = try CaptionFolder(root: folder).scan()
        let root = folder.standardizedFileURL.path
        var writer = BackupWriter(root: root, backupDirectory: backupDirectory.standardizedFileURL.path, flush: flush)
        let read = { (paths: ArraySlice<String>) in
            try Self.readCaptions(paths, root: root) { file throws(CaptionReadError) in
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CaptionReadError.unreadable(path: file, reason: "cannot open the file")
                }
                return data
            }
        }
        var report = try normalizeCaptions(paths: contents.captions, read: read) { captions in
            let changes = captions.compactMap { caption in caption.changedText.map { (path: caption.path, original: caption.original, text: $0) } }
            guard !dryRun, !changes.isEmpty else { return }
            try writer.write(changes)
        }
        report.skippedFiles = contents.orphans
        report.isDryRun = dryRun
        if !dryRun, report.filesChanged > 0 { report.backupDirectory = backupDirectory.path }
        return report
    }

    /// Backs up and rewrites the changed captions of each batch. The least new inodes that keep the guarantees:
    /// the backup is a hard link to the caption's inode (no copy), and the caption's new text goes to one temp
    /// file renamed over it (one new inode), so the linked inode keeps the original bytes. Per batch: links,
    /// temps, one flush (`DurableBatch`), renames, one fsync per folder.
    struct BackupWriter {
        let root: String
        let backupDirectory: String
        let flush: DurableBatch.Flush
        /// The backup folders, each created (and its parents synced) once.
        var folders: BackupFolders

        init(root: String, backupDirectory: String, flush: DurableBatch.Flush) {
            self.root = root
            self.backupDirectory = backupDirectory
            self.flush = flush
            self.folders = BackupFolders(root: backupDirectory)
        }

        mutating func write(_ changes: [(path: String, original: Data, text: String)]) throws(CaptionWriteError) {
            // 1. Backups: folders first (serially, each once), then the links on every core.
            for change in changes { _ = try self.folders.prepare(change.path, caption: root + "/" + change.path) }
            let folders = self.folders.takeTouched()
            let ranges = ParallelWork.ranges(total: changes.count, pieces: ProcessInfo.processInfo.activeProcessorCount * 2, minimum: 64)
            let backupResults = ParallelWork.map(count: ranges.count) { index -> Result<[String], CaptionWriteError> in
                var linked: [String] = []
                for change in changes[ranges[index]] {
                    let caption = root + "/" + change.path
                    let backup = backupDirectory + "/" + change.path
                    do {
                        if try CaptionBackup.keep(caption, original: change.original, at: backup) { linked.append(caption) }
                    } catch {
                        return .failure(.backupFailed(path: caption, backup: backup, reason: "\(error)"))
                    }
                }
                return .success(linked)
            }
            var linkedCaptions: [String] = []
            for result in backupResults {
                switch result {
                case .success(let linked): linkedCaptions.append(contentsOf: linked)
                case .failure(let error): throw error
                }
            }

            // 2. The new texts, durable together with the backups before any rename.
            let writes = changes.map { DurableBatch.Write(path: root + "/" + $0.path, bytes: Array($0.text.utf8)) }
            let outcomes = DurableBatch(flush: flush).write(writes, flushingAlso: linkedCaptions, syncingFirst: folders)
            if let index = outcomes.firstIndex(where: { $0 != nil }) {
                throw .writeFailed(path: writes[index].path, backupDirectory: backupDirectory, reason: "\(outcomes[index]!)")
            }
        }
    }
}
