import Foundation
import ImageAnalyzers
import Jobs
import SystemIO

/// B (`pipeline.autotag: local`): captions every indexed image with the analyzers of `analyze.analyzers`, instead
/// of the auto-tagger round trip. Works in a staging folder that survives a restart: a caption already written is
/// never asked for or rewritten again, and the drop's own caption is backed up once, before its first replacement.
struct LocalCaptionStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let folder = context.folder
        if FileManager.default.fileExists(atPath: folder.captionsFromAnalyzer.path) { return .success }
        guard !context.config.analyze.analyzers.isEmpty else {
            return .fail("pipeline.autotag is local, but analyze.analyzers names no analyzer to caption with")
        }
        let index = try context.requireIndex()
        let staging = folder.captionsFromAnalyzerStaging
        for image in index.images {
            let target = staging.appendingPathComponent(image.path)
            if !FileManager.default.fileExists(atPath: target.path) {
                try FolderTransfer.cloneOrCopy(folder.source.appendingPathComponent(image.path), to: target)
            }
            let caption = DatasetFiles.captionPath(forImage: image.path)
            let staged = staging.appendingPathComponent(caption)
            let own = folder.source.appendingPathComponent(caption)
            if !FileManager.default.fileExists(atPath: staged.path), let text = try? Data(contentsOf: own) {
                try FileOperations.writeAtomically(text, to: staged)
            }
        }

        let analyzers = AnalyzerSet(config: context.config.analyze, workingDirectory: context.layout.root.path)
        let captioner = FolderCaptioner(analyzers: analyzers, backupDirectory: folder.localCaptionBackups)
        let reportProgress = context.reportProgress
        let progress: @Sendable (Int, Int) -> Void = { done, total in reportProgress(done, total, 0) }
        let report = try AsyncWork.wait {
            let result: Result<FolderCaptioner.Report, any Error>
            do { result = .success(try await captioner.caption(folder: staging, progress: progress)) } catch { result = .failure(error) }
            await analyzers.shutdown()
            return try result.get()
        }
        try FileOperations.rename(staging.path, to: folder.captionsFromAnalyzer.path)

        job.artifacts.notCaptioned = report.notCaptioned.isEmpty
            ? nil : report.notCaptioned.map { Job.NotCaptioned(image: $0.image, reason: $0.reason) }
        let names = analyzers.processes.map(\.command.name).joined(separator: ", ")
        var line = "captioned \(report.captioned.count) of \(index.images.count) images with \(names)"
        if !report.backedUp.isEmpty { line += "; \(report.backedUp.count) captions of the drop backed up first" }
        job.record(.info, line, at: context.now())
        if let first = report.notCaptioned.first {
            job.record(
                .warning,
                "\(report.notCaptioned.count) images have no caption from the analyzer (listed in REVIEW.md), e.g. \(first.image): \(first.reason)",
                at: context.now())
        }
        return .success
    }
}
