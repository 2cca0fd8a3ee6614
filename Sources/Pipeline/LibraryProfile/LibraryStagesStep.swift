import Configuration
import Foundation
import HTTPClient
import ImageLookup
import Jobs
import Library
import Logging

/// Library profile: every batch of the drop through the library stages (`LibraryRun`), then the wait that fits what
/// is left: SauceNAO's spent quota or a service that was down (WAITING_EXTERNAL until a known time), batches in
/// review/ (WAITING_MANUAL until RESUME or a move to reviewed/), or the manifest and error report when all is done.
/// Each run starts a fresh `LibraryRun` over the same checkpoint, so a rerun after a wait, a restart or a kill -9
/// repeats nothing already recorded.
struct LibraryStagesStep: PipelineStep {
    /// How a quota wait starts in an image's lookup outcome (`LibraryRun` writes it).
    static let quotaPrefix = ImageSummary.quotaWaitPrefix
    /// Progress is saved into job.json at most this often.
    static let progressInterval: TimeInterval = 1

    let time: any TimeSource
    let makeLookup: LibraryProfile.MakeLookup
    let logger: Logger

    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let drop = context.folder.libraryDrop(named: job.dataset)
        let lookup = try makeLookup(context.config, context.layout, time)
        let jobID = job.id
        let logger = self.logger
        let options = LibraryRunOptions(drop: drop.path, root: context.layout.root.path, config: context.config)
        let run = Handed(
            LibraryRun(options: options, lookup: lookup, time: time, log: { logger.info("\($0)", metadata: ["job": "\(jobID)"]) }))
        let batches = try run.value.prepare()
        let started = Date()
        let finishedAtStart = run.value.summaries.count(where: \.isFinished)
        var saved = Date.distantPast
        func saveProgress(_ job: inout Job, force: Bool) throws {
            guard force || Date().timeIntervalSince(saved) >= Self.progressInterval else { return }
            let progress = LibraryProgress.of(run.value.summaries, finishedAtStart: finishedAtStart, elapsed: Date().timeIntervalSince(started))
            job.library = progress
            job.progress = Job.Progress(done: progress.finished, total: progress.total)
            try context.checkpoint(job)
            saved = Date()
        }
        try saveProgress(&job, force: true)
        for batch in batches {
            if context.isCancelled() { throw StepInterrupted() }
            try AsyncWork.wait { try await run.value.process(batch: batch) }
            try saveProgress(&job, force: false)
        }
        try saveProgress(&job, force: true)
        return try outcome(&job, run.value, lookup: lookup, context)
    }

    /// What the job does next, from its images' summaries.
    private func outcome(_ job: inout Job, _ run: LibraryRun, lookup: LookupSession?, _ context: StepContext) throws -> StepOutcome {
        let images = run.summaries
        let lookupWaits = images.count { $0.lookupWait != nil }
        let quotaWaits = images.count { $0.lookupWait == .quota }
        let retryWaits = lookupWaits - quotaWaits
        let reviewFolders = LibraryReviewBatches(layout: context.layout, runID: run.jobID).waiting
        let reviewNote = reviewFolders.isEmpty
            ? "" : "; \(reviewFolders.count) batch(es) wait for you in " + reviewFolders.map { "review/\($0)/" }.joined(separator: ", ")
        if quotaWaits > 0 {
            var until = context.now().addingTimeInterval(60)
            if let lookup, case .dailyLimitReached(let reset) = try AsyncWork.wait({ await lookup.pacerState.decision(at: time.now) }) {
                until = reset
            }
            return .waitUntil(
                until, "\(Self.quotaPrefix); resumes at \(Self.clockTime(until)) (\(quotaWaits) image(s) wait)\(reviewNote)")
        }
        if retryWaits > 0 {
            let until = context.now().addingTimeInterval(context.config.library.lookupRetryMinutes * 60)
            return .waitUntil(until, "\(retryWaits) lookup(s) met a service that was down; retried at \(Self.clockTime(until))\(reviewNote)")
        }
        if !reviewFolders.isEmpty {
            let waiting = images.count(where: \.waitingForReview)
            return .wait(
                "\(waiting) image(s) wait for review in " + reviewFolders.map { "review/\($0)/" }.joined(separator: ", ")
                    + ": edit <image>.tags.txt (delete it to reject the tags), then touch RESUME in the folder or move it to reviewed/")
        }
        if images.contains(where: \.waitingForReview) {
            // A batch folder was approved since the stages ran (or removed): run them again to read it.
            return .waitUntil(context.now(), "reading the review decisions")
        }
        let report = try AsyncWork.wait { [run = Handed(run)] in try await run.value.finish() }
        let folder = report.folder
        job.artifacts.libraryReport = "manifest \(report.manifestPath), errors \(report.errorsPath)"
        let stuck = run.summaries.count { !$0.isFinished }
        if stuck > 0 {
            return .fail(
                "\(stuck) image(s) failed a stage after lookup (see \(folder)/errors.txt); `sluice retry \(job.id)` tries them again")
        }
        job.record(
            .info,
            "\(report.counters.finished)/\(report.counters.total) organized, \(report.counters.skipped) skipped, "
                + "\(report.counters.refused) refused, \(report.counters.failed) with a failure",
            at: context.now())
        return .success
    }

    static func clockTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm"
        return formatter.string(from: date)
    }
}
