import Foundation
import Jobs
import Library

extension LibraryProgress {
    /// The counters of a drop from its images' records (pure). The rate counts images finished since `startedWith`
    /// over `elapsed` seconds of this run of the stages.
    static func of(_ records: [ImageRecord], finishedAtStart startedWith: Int, elapsed: TimeInterval) -> LibraryProgress {
        let stages = LibraryStage.allCases.map { stage in
            Stage(name: stage.rawValue, done: records.count { $0.nextStage.map { $0 > stage } ?? true }, total: records.count)
        }
        let finished = records.count(where: \.isFinished)
        let online = records.filter { $0.lookup?.fromCache != true }
        let apiCalls = online.reduce(0) { $0 + ($1.outcome(.lookup).map { $0.status == .off ? 0 : $0.attempts } ?? 0) }
        let lookupWaits = records.filter { $0.outcome(.lookup)?.status == .waiting }
        let perMinute = elapsed > 0 ? Double(max(0, finished - startedWith)) / elapsed * 60 : 0
        return LibraryProgress(
            stages: stages, finished: finished, total: records.count, apiCalls: apiCalls,
            cacheHits: records.count { $0.lookup?.fromCache == true },
            waitingForReview: records.count { $0.outcome(.review)?.status == .waiting },
            waitingForQuota: lookupWaits.count { $0.outcome(.lookup)?.detail?.hasPrefix(LibraryStagesStep.quotaPrefix) == true },
            failed: records.count { $0.outcomes.values.contains { $0.status == .failed } },
            imagesPerMinute: perMinute, etaSeconds: perMinute > 0 ? Double(records.count - finished) / perMinute * 60 : nil)
    }
}
