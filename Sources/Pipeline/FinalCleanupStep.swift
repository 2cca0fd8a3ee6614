import Foundation
import Jobs
import SystemIO

/// H: applies the final caption rules to the reviewed dataset into a staging folder; the user's files stay as edited.
struct FinalCleanupStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let input = manager.fileExists(atPath: context.folder.reviewedCopy.path) ? context.folder.reviewedCopy : context.folder.source
        let staging = context.folder.finalStaging
        try? manager.removeItem(at: staging)
        try? manager.removeItem(at: context.folder.finalStage)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)

        let scan = try DatasetFiles.scan(input, recursive: true)
        IndexAdmission.record(scan.leftOut, in: &job, at: context.now())
        let files = scan.files
        let images = files.filter(DatasetFiles.isImage)
        let imageCaptions = Set(images.map(DatasetFiles.captionPath(forImage:)))
        let unreadable = Set((context.index?.unreadable ?? []).map(\.path))
        var missing: [String] = []
        var empty: [String] = []
        var written = 0

        var staged = StagingWriter(root: staging)
        let total = images.count - images.filter(unreadable.contains).count
        context.progress(0, total)
        for image in images where !unreadable.contains(image) {
            let captionName = DatasetFiles.captionPath(forImage: image)
            let captionFile = input.appendingPathComponent(captionName)
            var text = ""
            let contents = try StagingWriter.contents(of: captionFile)
            if case .notRegular = contents {
                // A symlink (or special file) put into the review folder: never read, named, treated as missing.
                job.record(.warning, "left out \(LogSafeName.escaped(captionFile.path)): not a regular file (a symlink is never followed)", at: context.now())
            }
            if case .bytes(let raw) = contents {
                guard let decoded = String(validating: raw, as: UTF8.self) else {
                    return .fail("\(captionFile.path): not UTF-8 text; save it as UTF-8 and `sluice retry \(job.id)`")
                }
                text = try context.captionRules.finalCaption(decoded, file: captionFile.path)
            } else {
                missing.append(image)
                if context.config.final.missingCaption == .fail { continue }
            }
            if text.isEmpty { empty.append(image) }
            // A link is enough here: the final stage is only read, by the zip writer.
            try staged.link(input.appendingPathComponent(image), as: image)
            written += 1
            if try staged.write(text, as: captionName) { context.progress(written, total) }
        }
        try staged.flush()
        context.progress(total, total)
        if context.config.final.missingCaption == .fail && !missing.isEmpty {
            return .fail("images without a caption (final.missing_caption is fail): \(listing(missing, in: input))")
        }
        if context.config.final.emptyCaption == .fail && !empty.isEmpty {
            return .fail("empty captions (final.empty_caption is fail): \(listing(empty.map(DatasetFiles.captionPath(forImage:)), in: input))")
        }
        let strays = files.filter { $0.lowercased().hasSuffix(".txt") && !imageCaptions.contains($0) && !isSluiceFile($0) }
        if !strays.isEmpty {
            job.record(.warning, "captions without an image, left out: \(strays.prefix(10).joined(separator: ", "))", at: context.now())
        }
        if !missing.isEmpty {
            job.record(.warning, "\(missing.count) images had no caption; an empty one was written", at: context.now())
        }
        try FileOperations.rename(staging.path, to: context.folder.finalStage.path)
        try FileOperations.syncDirectory(at: context.folder.finalStage.deletingLastPathComponent().path)
        job.progress = Job.Progress(done: written, total: written)
        job.record(.info, "final cleanup: \(written) images with captions", at: context.now())
        return .success
    }

    private func isSluiceFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name == reviewFileName || name == resumeMarkerName
    }

    private func listing(_ paths: [String], in folder: URL) -> String {
        let shown = paths.prefix(10).map { folder.appendingPathComponent($0).path }.joined(separator: ", ")
        return paths.count > 10 ? shown + " and \(paths.count - 10) more" : shown
    }
}
