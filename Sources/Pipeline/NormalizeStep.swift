import Foundation
import Hashing
import Jobs
import SystemIO
import TagNormalization

/// F: builds the working dataset: readable images linked (or cloned) and every caption written once, normalized by
/// the preset, with the originals of the changed ones kept in the backups.
struct NormalizeStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let index = try context.requireIndex()
        let staging = context.folder.normalizedStaging
        try? manager.removeItem(at: staging)
        try? manager.removeItem(at: context.folder.normalized)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)

        let captionSource = captionFolder(context)
        // Images go into staging first. When the folder becomes review/<dataset>/, where the user may edit them,
        // images are clones, never links. Auto-approved, it never leaves the job's folder and is only read, so a
        // link does (a clone costs a copy of every image on file systems without reflinks, and that copy's flush).
        let exposed = !context.config.pipeline.autoApproveReview
        var staged = StagingWriter(root: staging)
        let captions = Array(Set(index.images.map { DatasetFiles.captionPath(forImage: $0.path) })).sorted()
        let total = index.images.count + captions.count
        context.progress(0, total)
        for (position, image) in index.images.enumerated() {
            let original = context.folder.source.appendingPathComponent(image.path, isDirectory: false)
            if exposed { try staged.clone(original, as: image.path) } else { try staged.link(original, as: image.path) }
            if (position + 1) % 1_000 == 0 { context.progress(position + 1, total) }
        }

        // Then each caption is read from the caption folder, normalized in memory and written once into staging
        // (durable per batch). A changed caption's original is kept in the backups as a hard link to the caption
        // folder's file: source/ is the job's copy of the drop, never modified, and captions-from-result/ and
        // captions-from-analyzer/ are only ever replaced whole with new files, so the linked inode keeps its bytes.
        let backups = context.folder.normalizeBackups
        var backupFolders = BackupFolders(root: backups.path)
        var fingerprints: [String: String] = [:]
        let summary: String
        do {
            summary = try context.captionRules.normalizeCaptions(
                in: captionSource, paths: captions, backupDirectory: backups,
                // A caption that is a symlink or special file was left out (and named) at step A: it is never read.
                load: { file in try StagingWriter.contentsIfPresent(URL(fileURLWithPath: file)).map { Data($0) } }
            ) { batch in
                for caption in batch {
                    if caption.changedText != nil {
                        let file = captionSource.path + "/" + caption.path
                        let backup = try backupFolders.prepare(caption.path, caption: file)
                        do {
                            _ = try CaptionBackup.keep(file, original: caption.original, at: backup)
                        } catch {
                            throw CaptionWriteError.backupFailed(path: file, backup: backup, reason: "\(error)")
                        }
                    }
                    let bytes = caption.normalizedBytes
                    fingerprints[caption.path] = FileDigest.hex(of: Data(bytes))
                    try staged.write(bytes, as: caption.path)
                }
                context.progress(index.images.count + fingerprints.count, total)
            }
        } catch let error as SystemError {
            throw error  // Writing the staging folder failed: handled as in every step (a full disk is named).
        } catch {
            // A caption the user can fix (or the preset): the caption folder is read again on a retry.
            return .fail("\(error) Then `sluice retry \(job.id)`.")
        }
        try staged.flush()
        // The backups' folder entries are durable before the normalized folder is published.
        try backupFolders.sync()
        context.progress(total, total)
        let missing = index.images.filter { fingerprints[DatasetFiles.captionPath(forImage: $0.path)] == nil }.count

        // The fingerprints and the summary share one durable batch (one fsync of the job's folder).
        let records = [
            DurableBatch.Write(
                path: context.folder.captionFingerprints.path,
                bytes: try CaptionFingerprints.encode(fingerprints, images: index.images.map(\.path))),
            DurableBatch.Write(path: context.folder.normalizeSummary.path, bytes: Array(summary.utf8)),
        ]
        if let failure = DurableBatch(flush: .fsyncEach).write(records).compactMap({ $0 }).first { throw failure }
        try FileOperations.rename(staging.path, to: context.folder.normalized.path)
        job.record(.info, "normalized captions with preset '\(job.preset?.name ?? context.config.normalize.preset)'" + (missing > 0 ? "; \(missing) images have no caption yet" : ""), at: context.now())
        return .success
    }

    /// Captions come from the auto-tagger's mapped result when the round trip ran, from the analyzer's folder when
    /// it captioned locally, else from beside the originals.
    private func captionFolder(_ context: StepContext) -> URL {
        let produced = [context.folder.captionsFromResult, context.folder.captionsFromAnalyzer]
        return produced.first { FileManager.default.fileExists(atPath: $0.path) } ?? context.folder.source
    }
}

/// The SHA-256 of each caption as normalization left it, to count what the user changed in review.
enum CaptionFingerprints {
    /// The fingerprints file's bytes for `images`, from the SHA-256 of each caption written (by caption path; an
    /// image without a caption gets "").
    static func encode(_ captionDigests: [String: String], images: [String]) throws -> [UInt8] {
        var fingerprints: [String: String] = [:]
        for image in images { fingerprints[image] = captionDigests[DatasetFiles.captionPath(forImage: image)] ?? "" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try encoder.encode(fingerprints))
    }

    /// How many captions differ from what normalization wrote (added, removed or edited).
    static func changes(folder: URL, since file: URL) -> Int? {
        guard let data = try? Data(contentsOf: file),
            let before = try? JSONDecoder().decode([String: String].self, from: data)
        else { return nil }
        var changed = 0
        for (image, fingerprint) in before {
            let caption = folder.appendingPathComponent(DatasetFiles.captionPath(forImage: image), isDirectory: false)
            if ((try? FileDigest.hex(of: caption.path)) ?? "") != fingerprint { changed += 1 }
        }
        return changed
    }
}
