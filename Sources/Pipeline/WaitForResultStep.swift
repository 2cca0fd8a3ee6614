import Foundation
import Jobs
import SystemIO

/// C/D: the user uploads the zip by hand (there is no public API); the job waits until the engine's result intake
/// has taken a matching result zip into the job's folder.
struct WaitForResultStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        if ResultMapping.exists(in: context.folder) { return .success }
        if job.artifacts.waitStartedAt == nil { job.artifacts.waitStartedAt = context.now() }
        let zip = job.artifacts.autotagZip.map { "to-autotag/" + ($0 as NSString).lastPathComponent } ?? "the to-autotag/ zip"
        return .wait("upload \(zip) to the auto-tagger, then download its result zip into downloads/")
    }
}

/// E: the result was extracted safely at intake; this maps each returned caption onto its original image.
struct MapResultStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let mapping = try ResultMapping.load(from: context.folder)
        let extracted = context.folder.resultFolder
        let target = context.folder.captionsFromResult
        let staging = context.folder.captionsFromResultStaging
        try? manager.removeItem(at: staging)
        try? manager.removeItem(at: target)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)

        let manifest = try UploadManifest.load(from: context.folder)
        let matchedOriginals = Set(mapping.pairs.map(\.original))
        let missing = manifest.entries.map(\.original).filter { !matchedOriginals.contains($0) }

        // Every caption goes through one staging writer (durable per batch), then the folder is published by a rename.
        var staged = StagingWriter(root: staging)
        context.progress(0, mapping.pairs.count)
        var empty = 0
        for (position, pair) in mapping.pairs.enumerated() {
            let returned = extracted.appendingPathComponent(DatasetFiles.captionPath(forImage: pair.result))
            // CivitAI writes a caption only where the label is non-empty: no file means an empty label.
            let bytes = (try? StagingWriter.contentsIfPresent(returned)) ?? []
            if bytes.isEmpty { empty += 1 }
            if try staged.write(bytes, as: DatasetFiles.captionPath(forImage: pair.original)) {
                context.progress(position + 1, mapping.pairs.count)
            }
        }
        for original in missing {
            let caption = DatasetFiles.captionPath(forImage: original)
            if let bytes = try StagingWriter.contentsIfPresent(context.folder.source.appendingPathComponent(caption)) {
                try staged.write(bytes, as: caption)
            }
        }
        try staged.flush()
        context.progress(mapping.pairs.count, mapping.pairs.count)
        try FileOperations.rename(staging.path, to: target.path)
        try FileOperations.syncDirectory(at: target.deletingLastPathComponent().path)

        job.artifacts.unmatchedResultFiles = mapping.unmatched
        var summary = "mapped \(mapping.pairs.count) returned captions onto their originals (\(mapping.exactMatches) by SHA-256, \(mapping.pairs.count - mapping.exactMatches) by perceptual hash)"
        if empty > 0 { summary += "; \(empty) came back without a caption (empty label)" }
        job.record(.info, summary, at: context.now())
        if !mapping.unmatched.isEmpty {
            job.record(.warning, "result files that match no original, not used: \(mapping.unmatched.joined(separator: ", "))", at: context.now())
        }
        if !missing.isEmpty {
            job.record(.warning, "originals with no returned file (their caption stays as dropped): \(missing.prefix(20).joined(separator: ", "))", at: context.now())
        }
        return .success
    }
}
