import Foundation
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
        // Each caption costs two atomic writes (fsync'd); eight writers let the file system batch the flushes.
        let writeRanges = ParallelWork.ranges(total: changed.count, pieces: 32, minimum: 16)
        let failures = ParallelWork.mapBlocking(count: writeRanges.count, threads: 8) { index -> CaptionWriteError? in
            var createdFolders: Set<String> = []
            for position in writeRanges[index].map({ changed[$0] }) {
                let relative = paths[position]
                let caption = URL(fileURLWithPath: root + "/" + relative)
                let backup = backupDirectory.appendingPathComponent(relative)
                do {
                    let backupFolder = backup.deletingLastPathComponent().path
                    if createdFolders.insert(backupFolder).inserted {
                        try FileManager.default.createDirectory(atPath: backupFolder, withIntermediateDirectories: true)
                    }
                    try FileOperations.writeAtomically(originals[position], to: backup)
                } catch {
                    return .backupFailed(path: caption.path, backup: backup.path, reason: "\(error)")
                }
                do {
                    try FileOperations.writeAtomically(Data(normalization.texts[relative]!.utf8), to: caption)
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
}
