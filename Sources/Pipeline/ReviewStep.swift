import Foundation
import Jobs
import SystemIO

/// G: puts the normalized dataset in review/<dataset>/ and waits for RESUME or a move to reviewed/.
struct ReviewStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        if manager.fileExists(atPath: context.folder.reviewedCopy.path) { return .success }

        if job.artifacts.reviewApproved == true || context.config.pipeline.autoApproveReview {
            return try takeBack(&job, context)
        }
        if let name = job.artifacts.reviewFolder, !manager.fileExists(atPath: context.layout.review.appendingPathComponent(name).path),
            !manager.fileExists(atPath: context.folder.normalized.path)
        {
            // The review folder was deleted while the job waited: rebuild it from the job's copy of the drop.
            if case .fail(let message) = try NormalizeStep().run(&job, context) { return .fail(message) }
            job.record(.warning, "rebuilt review/\(name)/ from the job's copy (edits made in the deleted folder are lost)", at: context.now())
        }
        if manager.fileExists(atPath: context.folder.normalized.path) {
            let name = job.artifacts.reviewFolder ?? freeReviewName(for: job.dataset, in: context.layout.review)
            job.artifacts.reviewFolder = name
            let target = context.layout.review.appendingPathComponent(name, isDirectory: true)
            try writeReviewFiles(job, context, into: context.folder.normalized, folderName: name)
            try FolderTransfer.move(context.folder.normalized, to: target)
            job.record(.info, "waiting in review/\(name)/ for retagging", at: context.now())
        }
        guard let name = job.artifacts.reviewFolder else {
            return .fail("the normalized dataset for \(job.dataset) is missing from \(context.folder.normalized.path)")
        }
        return .wait("retag review/\(name)/, then touch review/\(name)/\(resumeMarkerName) or move the folder to reviewed/")
    }

    /// Takes the reviewed dataset back from review/ or reviewed/ into the job's folder and reports the user's edits.
    private func takeBack(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let candidates = [
            ReviewLocator.folderTagged(job.id, in: context.layout.reviewed),
            job.artifacts.reviewFolder.map { context.layout.review.appendingPathComponent($0, isDirectory: true) },
            manager.fileExists(atPath: context.folder.normalized.path) ? context.folder.normalized : nil,
        ].compactMap { $0 }.filter { manager.fileExists(atPath: $0.path) }
        guard let folder = candidates.first else {
            return .fail("the review folder of \(job.id) is gone from review/ and reviewed/; restore it, then `sluice retry \(job.id)`")
        }
        try? manager.removeItem(at: folder.appendingPathComponent(resumeMarkerName))
        try FolderTransfer.move(folder, to: context.folder.reviewedCopy)
        if let changed = CaptionFingerprints.changes(folder: context.folder.reviewedCopy, since: context.folder.captionFingerprints) {
            if changed == 0 && !context.config.pipeline.autoApproveReview {
                job.record(.warning, "review approved with no caption changed", at: context.now())
            } else {
                job.record(.info, "review approved: \(changed) captions changed", at: context.now())
            }
        }
        return .success
    }

    private func freeReviewName(for dataset: String, in review: URL) -> String {
        var name = dataset
        var counter = 2
        while FileManager.default.fileExists(atPath: review.appendingPathComponent(name).path) {
            name = "\(dataset)-\(counter)"
            counter += 1
        }
        return name
    }

    /// The job tag and REVIEW.md, written into the folder together through `DurableBatch` (one fsync of the folder).
    private func writeReviewFiles(_ job: Job, _ context: StepContext, into folder: URL, folderName: String) throws {
        let summary = (try? String(contentsOf: context.folder.normalizeSummary, encoding: .utf8)) ?? ""
        let text = ReviewReport.render(job: job, folderName: folderName, index: context.index, normalization: summary, captions: folder)
        let writes = [
            DurableBatch.Write(path: folder.appendingPathComponent(jobTagFileName).path, bytes: Array((job.id + "\n").utf8)),
            DurableBatch.Write(path: folder.appendingPathComponent(reviewFileName).path, bytes: Array(text.utf8)),
        ]
        if let failure = DurableBatch(flush: .fsyncEach).write(writes).compactMap({ $0 }).first { throw failure }
    }
}

/// Finds a review folder by the job tag Sluice left inside it, wherever the user moved it.
enum ReviewLocator {
    static func folderTagged(_ jobID: String, in parent: URL) -> URL? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return nil }
        for name in names.sorted() {
            let tag = parent.appendingPathComponent(name).appendingPathComponent(jobTagFileName)
            if let text = try? String(contentsOf: tag, encoding: .utf8), text.trimmingCharacters(in: .whitespacesAndNewlines) == jobID {
                return parent.appendingPathComponent(name, isDirectory: true)
            }
        }
        return nil
    }

    static func jobID(taggedIn folder: URL) -> String? {
        (try? String(contentsOf: folder.appendingPathComponent(jobTagFileName), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
