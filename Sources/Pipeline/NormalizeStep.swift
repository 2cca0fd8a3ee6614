import Foundation
import Hashing
import Jobs
import SystemIO

/// F: builds the working dataset (readable images linked, captions copied) and applies the preset to every caption.
struct NormalizeStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let index = try context.requireIndex()
        let staging = context.folder.normalizedStaging
        try? manager.removeItem(at: staging)
        try? manager.removeItem(at: context.folder.normalized)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)

        let captionSource = captionFolder(context)
        var missing = 0
        // Image clones and caption copies go through one staging writer: folders made once, captions durable per
        // batch. When the folder becomes review/<dataset>/, where the user may edit them, images are clones, never
        // links. Auto-approved, it never leaves the job's folder and is only read, so a link does (a clone costs a
        // copy of every image on file systems without reflinks, and that copy's flush).
        let exposed = !context.config.pipeline.autoApproveReview
        var staged = StagingWriter(root: staging)
        context.progress(0, index.images.count)
        for (position, image) in index.images.enumerated() {
            let original = context.folder.source.appendingPathComponent(image.path, isDirectory: false)
            if exposed { try staged.clone(original, as: image.path) } else { try staged.link(original, as: image.path) }
            let caption = DatasetFiles.captionPath(forImage: image.path)
            // A caption that is a symlink or special file was left out (and named) at step A: it is never read.
            if let bytes = try StagingWriter.contentsIfPresent(captionSource.appendingPathComponent(caption, isDirectory: false)) {
                if try staged.write(bytes, as: caption) { context.progress(position + 1, index.images.count) }
            } else {
                missing += 1
            }
        }
        try staged.flush()
        context.progress(index.images.count, index.images.count)
        let backups = context.folder.normalizeBackups
        let summary: String
        do {
            summary = try context.captionRules.normalizeDataset(at: staging, backupDirectory: backups)
        } catch {
            // The staging copy is rebuilt on every run: name the caption the user can fix, which a retry reads again.
            let message = "\(error)".replacingOccurrences(of: staging.path, with: captionSource.path)
            return .fail(message + " Then `sluice retry \(job.id)`.")
        }
        // The fingerprints and the summary share one durable batch (one fsync of the job's folder).
        let records = [
            DurableBatch.Write(
                path: context.folder.captionFingerprints.path,
                bytes: try CaptionFingerprints.encode(folder: staging, images: index.images.map(\.path))),
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
    /// The fingerprints file's bytes for the captions beside `images` in `folder`.
    static func encode(folder: URL, images: [String]) throws -> [UInt8] {
        var fingerprints: [String: String] = [:]
        for image in images {
            let caption = folder.appendingPathComponent(DatasetFiles.captionPath(forImage: image), isDirectory: false)
            fingerprints[image] = (try? FileDigest.hex(of: caption.path)) ?? ""
        }
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
