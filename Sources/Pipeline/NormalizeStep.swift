import Foundation
import Hashing
import Jobs
import SystemIO

/// F: builds the working dataset (readable images linked, captions copied) and applies the preset to every caption.
struct NormalizeStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let index = try JSONDecoder().decode(DatasetIndex.self, from: Data(contentsOf: context.indexFile))
        let staging = context.work.appendingPathComponent("normalized.staging", isDirectory: true)
        try? manager.removeItem(at: staging)
        try? manager.removeItem(at: context.normalized)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)

        let captionSource = captionFolder(context)
        var missing = 0
        for image in index.images {
            try FolderTransfer.linkOrCopy(context.source.appendingPathComponent(image.path), to: staging.appendingPathComponent(image.path))
            let caption = DatasetFiles.captionPath(forImage: image.path)
            let captionFile = captionSource.appendingPathComponent(caption)
            if manager.fileExists(atPath: captionFile.path) {
                try manager.copyItem(at: captionFile, to: staging.appendingPathComponent(caption))
            } else {
                missing += 1
            }
        }
        let backups = context.backups.appendingPathComponent("normalize", isDirectory: true)
        let summary = try context.captionRules.normalizeDataset(at: staging, backupDirectory: backups)
        try CaptionFingerprints.record(folder: staging, images: index.images.map(\.path), to: fingerprintFile(context))
        try FileOperations.writeAtomically(Data(summary.utf8), to: context.jobFolder.appendingPathComponent("normalize-summary.md"))
        try FileOperations.rename(staging.path, to: context.normalized.path)
        job.record(.info, "normalized captions with preset '\(context.config.normalize.preset)'" + (missing > 0 ? "; \(missing) images have no caption yet" : ""), at: context.now())
        return .success
    }

    /// Captions come from the auto-tagger's mapped result when the round trip ran, else from beside the originals.
    private func captionFolder(_ context: StepContext) -> URL {
        let mapped = context.work.appendingPathComponent("captions-from-result", isDirectory: true)
        return FileManager.default.fileExists(atPath: mapped.path) ? mapped : context.source
    }

    func fingerprintFile(_ context: StepContext) -> URL { context.jobFolder.appendingPathComponent("normalized-captions.json") }
}

/// The SHA-256 of each caption as normalization left it, to count what the user changed in review.
enum CaptionFingerprints {
    static func record(folder: URL, images: [String], to file: URL) throws {
        var fingerprints: [String: String] = [:]
        for image in images {
            let caption = folder.appendingPathComponent(DatasetFiles.captionPath(forImage: image))
            fingerprints[image] = (try? FileDigest.hex(of: caption.path)) ?? ""
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileOperations.writeAtomically(try encoder.encode(fingerprints), to: file)
    }

    /// How many captions differ from what normalization wrote (added, removed or edited).
    static func changes(folder: URL, since file: URL) -> Int? {
        guard let data = try? Data(contentsOf: file),
            let before = try? JSONDecoder().decode([String: String].self, from: data)
        else { return nil }
        var changed = 0
        for (image, fingerprint) in before {
            let caption = folder.appendingPathComponent(DatasetFiles.captionPath(forImage: image))
            if ((try? FileDigest.hex(of: caption.path)) ?? "") != fingerprint { changed += 1 }
        }
        return changed
    }
}
