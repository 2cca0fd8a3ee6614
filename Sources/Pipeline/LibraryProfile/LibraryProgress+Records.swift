import Foundation
import Jobs
import Library

extension LibraryProgress {
    /// The counters of a drop from its images' summaries (pure). The rate counts images finished since `startedWith`
    /// over `elapsed` seconds of this run of the stages.
    static func of(_ images: some Collection<ImageSummary>, finishedAtStart startedWith: Int, elapsed: TimeInterval) -> LibraryProgress {
        let stages = LibraryStage.allCases.map { stage in
            Stage(name: stage.rawValue, done: images.count { $0.nextStage.map { $0 > stage } ?? true }, total: images.count)
        }
        let finished = images.count(where: \.isFinished)
        let perMinute = elapsed > 0 ? Double(max(0, finished - startedWith)) / elapsed * 60 : 0
        return LibraryProgress(
            stages: stages, finished: finished, total: images.count, apiCalls: images.reduce(0) { $0 + $1.apiCalls },
            cacheHits: images.count(where: \.cacheHit), waitingForReview: images.count(where: \.waitingForReview),
            waitingForQuota: images.count { $0.lookupWait == .quota }, failed: images.count(where: \.failed),
            imagesPerMinute: perMinute, etaSeconds: perMinute > 0 ? Double(images.count - finished) / perMinute * 60 : nil)
    }
}
