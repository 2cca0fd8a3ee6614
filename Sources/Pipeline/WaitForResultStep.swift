import Foundation
import Jobs

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

        var empty = 0
        for pair in mapping.pairs {
            let returned = extracted.appendingPathComponent(DatasetFiles.captionPath(forImage: pair.result))
            // CivitAI writes a caption only where the label is non-empty: no file means an empty label.
            let data = (try? Data(contentsOf: returned)) ?? Data()
            if data.isEmpty { empty += 1 }
            let destination = staging.appendingPathComponent(DatasetFiles.captionPath(forImage: pair.original))
            try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: destination)
        }
        try manager.moveItem(at: staging, to: target)

        let manifest = try UploadManifest.load(from: context.folder)
        let matchedOriginals = Set(mapping.pairs.map(\.original))
        let missing = manifest.entries.map(\.original).filter { !matchedOriginals.contains($0) }
        job.artifacts.unmatchedResultFiles = mapping.unmatched
        var summary = "mapped \(mapping.pairs.count) returned captions onto their originals (\(mapping.exactMatches) by SHA-256, \(mapping.pairs.count - mapping.exactMatches) by perceptual hash)"
        if empty > 0 { summary += "; \(empty) came back without a caption (empty label)" }
        job.record(.info, summary, at: context.now())
        if !mapping.unmatched.isEmpty {
            job.record(.warning, "result files that match no original, not used: \(mapping.unmatched.joined(separator: ", "))", at: context.now())
        }
        if !missing.isEmpty {
            job.record(.warning, "originals with no returned file (their caption stays as dropped): \(missing.prefix(20).joined(separator: ", "))", at: context.now())
            for original in missing {
                let caption = DatasetFiles.captionPath(forImage: original)
                let source = context.folder.source.appendingPathComponent(caption)
                if manager.fileExists(atPath: source.path) {
                    try manager.createDirectory(at: target.appendingPathComponent(caption).deletingLastPathComponent(), withIntermediateDirectories: true)
                    try manager.copyItem(at: source, to: target.appendingPathComponent(caption))
                }
            }
        }
        return .success
    }
}
