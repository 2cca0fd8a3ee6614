import Foundation
import Hashing
import Jobs
import SystemIO
import TagNormalization

/// F: builds the working dataset: readable images linked (or cloned) and every caption written once, normalized by
/// the preset, with the originals of the changed ones kept in the backups.
///
/// The file work goes in batches, each recorded in `NormalizeCheckpoint` once it is durable. Normalization is pure
/// and its inputs are never modified during the step, so a restart after a kill recomputes it in memory and does the
/// file work only from the first batch not recorded: at most one batch is redone.
struct NormalizeStep: PipelineStep {
    /// Images staged per recorded batch.
    static let imageBatchSize = 1_000
    /// Captions normalized and written per recorded batch.
    static let captionBatchSize = 2_000
    /// Test hook, not a setting: `SLUICE_NORMALIZE_BATCH=n` makes both batches n long, so the kill -9 tests get
    /// several batches out of a few images.
    static let testBatchSize = ProcessInfo.processInfo.environment["SLUICE_NORMALIZE_BATCH"].flatMap { Int($0) }.map { max(1, $0) }

    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let index = try context.requireIndex()
        let staging = context.folder.normalizedStaging
        let captionSource = captionFolder(context)
        // Images go into staging first. When the folder becomes review/<dataset>/, where the user may edit them,
        // images are clones, never links. Auto-approved, it never leaves the job's folder and is only read, so a
        // link does (a clone costs a copy of every image on file systems without reflinks, and that copy's flush).
        let exposed = !context.config.pipeline.autoApproveReview
        let captions = Array(Set(index.images.map { DatasetFiles.captionPath(forImage: $0.path) })).sorted()
        let checkpoint = NormalizeCheckpoint(url: context.folder.normalizeProgress)
        var progress = try startStaging(
            &job, context, checkpoint: checkpoint,
            inputs: NormalizeCheckpoint.inputs(
                captionFolder: captionSource, resolvedPreset: context.captionRules.resolvedPreset, clonesImages: exposed,
                images: index.images, captionCount: captions.count),
            captions: captions)
        let total = index.images.count + captions.count
        context.progress(progress.imagesStaged + progress.captionsWritten, total)

        var staged = StagingWriter(root: staging, batchSize: Int.max)
        try stageImages(index.images, clone: exposed, into: &staged, progress: &progress, checkpoint: checkpoint, context)

        // Then each caption is read from the caption folder, normalized in memory and written once into staging
        // (durable per batch). A changed caption's original is kept in the backups as a hard link to the caption
        // folder's file: source/ is the job's copy of the drop, never modified, and captions-from-result/ and
        // captions-from-analyzer/ are only ever replaced whole with new files, so the linked inode keeps its bytes.
        // Batches recorded by an interrupted run are normalized again in memory (for the summary and the
        // fingerprints) but neither written nor backed up again.
        let backups = context.folder.normalizeBackups
        var backupFolders = BackupFolders(root: backups.path)
        var fingerprints: [String: String] = [:]
        let summary: String
        do {
            summary = try context.captionRules.normalizeCaptions(
                in: captionSource, paths: captions, batchSize: Self.testBatchSize ?? Self.captionBatchSize, backupDirectory: backups,
                // A caption that is a symlink or special file was left out (and named) at step A: it is never read.
                load: { file in try StagingWriter.contentsIfPresent(URL(fileURLWithPath: file)).map { Data($0) } }
            ) { positions, batch in
                let written = progress.captionsWritten
                // Paths are sorted, so a caption before the first one not written was written (and backed up).
                let firstUnwritten = written < captions.count ? captions[written] : nil
                for caption in batch {
                    let bytes = caption.normalizedBytes
                    fingerprints[caption.path] = FileDigest.hex(of: Data(bytes))
                    guard let firstUnwritten, caption.path >= firstUnwritten else { continue }
                    if caption.changedText != nil {
                        let file = captionSource.path + "/" + caption.path
                        let backup = try backupFolders.prepare(caption.path, caption: file)
                        do {
                            _ = try CaptionBackup.keep(file, original: caption.original, at: backup)
                        } catch {
                            throw CaptionWriteError.backupFailed(path: file, backup: backup, reason: "\(error)")
                        }
                    }
                    try staged.write(bytes, as: caption.path)
                }
                guard positions.upperBound > written else { return }
                // The batch's captions, then its backups' folder entries, are durable before the record says so.
                try staged.flush()
                progress.captionsWritten = positions.upperBound
                try checkpoint.save(progress, syncingFirst: backupFolders.takeTouched().union(staged.takeUnsynced().folders), flushingData: false)
                context.progress(index.images.count + progress.captionsWritten, total)
                CrashPoint.check("normalize:batch")
            }
        } catch let error as SystemError {
            throw error  // Writing the staging folder failed: handled as in every step (a full disk is named).
        } catch {
            // A caption the user can fix (or the preset): the caption folder is read again on a retry.
            return .fail("\(error) Then `sluice retry \(job.id)`.")
        }
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
        checkpoint.remove()
        job.record(.info, "normalized captions with preset '\(job.preset?.name ?? context.config.normalize.preset)'" + (missing > 0 ? "; \(missing) images have no caption yet" : ""), at: context.now())
        return .success
    }

    /// Links (or clones) the images not yet staged, a batch at a time, recording each batch once it is durable.
    private func stageImages(
        _ images: [DatasetIndex.Image], clone: Bool, into staged: inout StagingWriter, progress: inout NormalizeCheckpoint.Progress,
        checkpoint: NormalizeCheckpoint, _ context: StepContext
    ) throws {
        let total = images.count + progress.inputs.captionCount
        for batch in (progress.imagesStaged..<images.count).chunked(by: Self.testBatchSize ?? Self.imageBatchSize) {
            for image in images[batch] {
                let original = context.folder.source.appendingPathComponent(image.path, isDirectory: false)
                if clone { try staged.clone(original, as: image.path) } else { try staged.link(original, as: image.path) }
            }
            progress.imagesStaged = batch.upperBound
            let unsynced = staged.takeUnsynced()
            try checkpoint.save(progress, syncingFirst: unsynced.folders, flushingData: unsynced.copiedData)
            context.progress(progress.imagesStaged, total)
            CrashPoint.check("normalize:images")
        }
    }

    /// Keeps the staging folder an interrupted run left when its record fits `inputs` (and says so in the job log),
    /// else starts it afresh; returns the progress to continue from.
    private func startStaging(
        _ job: inout Job, _ context: StepContext, checkpoint: NormalizeCheckpoint, inputs: NormalizeCheckpoint.Inputs,
        captions: [String]
    ) throws -> NormalizeCheckpoint.Progress {
        let manager = FileManager.default
        let staging = context.folder.normalizedStaging
        try? manager.removeItem(at: context.folder.normalized)
        let start = checkpoint.start(for: inputs, stagingExists: manager.fileExists(atPath: staging.path))
        if case .resume(let progress) = start {
            // Temps of the batch in flight (`DurableBatch`) sit beside the captions not yet written.
            for folder in Set(captions[progress.captionsWritten...].map { DurableBatch.folder(of: staging.path + "/" + $0) }) {
                DurableBatch.sweepTemporaries(in: folder)
            }
            job.record(
                .info,
                "resumed normalize at \(progress.captionsWritten) of \(inputs.captionCount) captions"
                    + " (\(progress.imagesStaged) of \(inputs.imageCount) images already staged)",
                at: context.now())
            return progress
        }
        if case .startOver(let reason) = start { job.record(.info, "normalize starts over: \(reason)", at: context.now()) }
        checkpoint.remove()
        try? manager.removeItem(at: staging)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)
        return NormalizeCheckpoint.Progress(inputs: inputs)
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
