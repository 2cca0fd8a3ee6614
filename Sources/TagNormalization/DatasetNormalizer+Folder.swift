import Foundation
import Glibc
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
        let paths = contents.captions
        let batches = stride(from: 0, to: paths.count, by: max(1, folderBatchSize)).map { $0..<min($0 + folderBatchSize, paths.count) }

        var counts = KeyCounts()
        for range in batches {
            let captions = try Self.read(paths[range], root: root)
            counts.add(Self.counts(of: prepare(captions.map(\.text))))
        }

        var report = NormalizationReport(presetName: preset.name)
        var keysAfter: [String: Int] = [:]
        var writer = BackupWriter(root: root, backupDirectory: backupDirectory.standardizedFileURL.path, flush: flush)
        for range in batches {
            let batchPaths = Array(paths[range])
            let captions = try Self.read(paths[range], root: root)
            let texts = captions.map(\.text)
            var chunks = prepare(texts)
            let batch = finish(&chunks, paths: batchPaths, texts: texts, frequency: counts.frequency, captionCount: paths.count)
            Self.add(batch, to: &report, keysAfter: &keysAfter, previewLimit: previewLimit)
            guard !dryRun, !batch.changes.isEmpty else { continue }
            let originals = Dictionary(uniqueKeysWithValues: zip(batchPaths, captions.map(\.data)))
            try writer.write(batch.changes.map { ($0.path, originals[$0.path]!, batch.texts[$0.path]!) })
        }
        report.captionCount = paths.count
        report.topTagsBefore = Self.top(counts.keysBefore)
        report.topTagsAfter = Self.top(keysAfter)
        report.skippedFiles = contents.orphans
        report.isDryRun = dryRun
        if !dryRun, report.filesChanged > 0 { report.backupDirectory = backupDirectory.path }
        return report
    }

    /// Reads and decodes captions on every core.
    static func read(_ paths: ArraySlice<String>, root: String) throws(CaptionReadError) -> [(data: Data, text: String)] {
        let list = Array(paths)
        let ranges = ParallelWork.ranges(total: list.count, pieces: ProcessInfo.processInfo.activeProcessorCount * 2, minimum: 128)
        let read = ParallelWork.map(count: ranges.count) { index -> Result<[(data: Data, text: String)], CaptionReadError> in
            Result { () throws(CaptionReadError) -> [(data: Data, text: String)] in
                try ranges[index].map { position throws(CaptionReadError) in
                    let file = root + "/" + list[position]
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw CaptionReadError.unreadable(path: file, reason: "cannot open the file")
                    }
                    return (data, try CaptionText.decode(data, path: file))
                }
            }
        }
        var captions: [(data: Data, text: String)] = []
        captions.reserveCapacity(list.count)
        for result in read { captions.append(contentsOf: try result.get()) }
        return captions
    }

    /// Backs up and rewrites the changed captions of each batch. The least new inodes that keep the guarantees:
    /// the backup is a hard link to the caption's inode (no copy), and the caption's new text goes to one temp
    /// file renamed over it (one new inode), so the linked inode keeps the original bytes. Per batch: links,
    /// temps, one flush (`DurableBatch`), renames, one fsync per folder.
    struct BackupWriter {
        let root: String
        let backupDirectory: String
        let flush: DurableBatch.Flush
        /// Backup folders made so far, so each is created (and its parents synced) once.
        var madeFolders: Set<String> = []

        init(root: String, backupDirectory: String, flush: DurableBatch.Flush) {
            self.root = root
            self.backupDirectory = backupDirectory
            self.flush = flush
        }

        mutating func write(_ changes: [(path: String, original: Data, text: String)]) throws(CaptionWriteError) {
            // 1. Backups: folders first (serially, each once), then the links on every core.
            var folders: Set<String> = []
            for change in changes {
                let folder = DurableBatch.folder(of: backupDirectory + "/" + change.path)
                folders.insert(folder)
                guard !madeFolders.contains(folder) else { continue }
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                } catch {
                    throw .backupFailed(path: root + "/" + change.path, backup: folder, reason: "\(error)")
                }
                madeFolders.insert(folder)
                var parent = DurableBatch.folder(of: folder)
                let top = DurableBatch.folder(of: backupDirectory)
                while parent.count >= top.count, folders.insert(parent).inserted { parent = DurableBatch.folder(of: parent) }
            }
            let ranges = ParallelWork.ranges(total: changes.count, pieces: ProcessInfo.processInfo.activeProcessorCount * 2, minimum: 64)
            let backupResults = ParallelWork.map(count: ranges.count) { index -> Result<[String], CaptionWriteError> in
                var linked: [String] = []
                for change in changes[ranges[index]] {
                    let caption = root + "/" + change.path
                    let backup = backupDirectory + "/" + change.path
                    do {
                        if try Self.backUp(caption: caption, original: change.original, to: backup) { linked.append(caption) }
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

        /// Backs up one caption; returns whether it made a hard link (whose shared data the batch must flush).
        /// Where links are impossible (another file system, FAT, SMB) the bytes are written atomically instead.
        /// An existing backup is never overwritten: after an interrupted run it holds the older original.
        static func backUp(caption: String, original: Data, to backup: String) throws -> Bool {
            do {
                try retryOnInterrupt("link", path: backup) { Glibc.link(caption, backup) }
                return true
            } catch {
                if error.errno == EEXIST || FileManager.default.fileExists(atPath: backup) { return false }
                try FileOperations.writeAtomically(original, to: URL(fileURLWithPath: backup))
                return false
            }
        }
    }
}
