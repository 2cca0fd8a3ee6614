import Foundation
import Jobs
import Library

extension Engine {
    /// Library jobs waiting at their stages go on when the time they wait for has come (a quota reset, a retry
    /// round), or when one of their review batches was approved (RESUME, or a move to reviewed/).
    func applyLibraryWaits(_ jobs: [Job]) {
        for job in jobs where job.step == .libraryStages && job.status.isWaiting {
            if job.status == .waitingExternal, let resumeAt = job.machine.resumeAt, now() >= resumeAt {
                apply(.clock(now: now()), to: job)
                continue
            }
            let drop = JobFolder(store.folder(of: job.id)).libraryDrop(named: job.dataset)
            let batches = LibraryReviewBatches(layout: layout, runID: LibraryRun.jobID(forDrop: drop.standardizedFileURL.path))
            if let origin = batches.approval { apply(.reviewBatchApproved(origin: origin), to: job) }
        }
    }
}

extension Engine {
    /// The earliest time a job waiting for a service may go on, so the root's loop wakes then rather than at its
    /// next periodic tick.
    public func nextWakeUp() -> Date? {
        ((try? store.all().jobs) ?? []).filter { $0.status == .waitingExternal }.compactMap(\.machine.resumeAt).min()
    }
}
