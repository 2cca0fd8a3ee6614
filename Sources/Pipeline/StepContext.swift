import Configuration
import Foundation
import Jobs

/// What a step may use: the root's folders, the job's folder and config, the index, the clock, and a way to stop.
public struct StepContext: Sendable {
    public let layout: RootLayout
    public let config: SluiceConfig
    public let folder: JobFolder
    /// Step A's index, decoded once before the step runs (nil before step A has written it).
    public let index: DatasetIndex?
    public let captionRules: any CaptionRules
    public let now: @Sendable () -> Date
    /// True once the daemon is shutting down: long steps stop at their next checkpoint.
    public let isCancelled: @Sendable () -> Bool
    /// Reports progress of long steps: images done, images in all, bytes done so far (0 when not counted).
    public let reportProgress: @Sendable (Int, Int, Int64) -> Void
    /// Persists the job mid-step, for choices a restart must repeat (such as the final zip's name).
    public let checkpoint: @Sendable (Job) throws -> Void

    /// Reports `done` of `total` images (and the bytes they held, for a MB/s figure): once per batch.
    public func progress(_ done: Int, _ total: Int, bytes: Int64 = 0) {
        reportProgress(done, total, bytes)
    }

    /// The index, for steps that cannot run without it.
    public func requireIndex() throws -> DatasetIndex {
        guard let index else { throw StepFailure("\(folder.index.path) is missing; `sluice retry` reruns from the start of this step") }
        return index
    }
}

/// One step's work. Steps are idempotent: run again from the start after a crash, they give the same result.
public protocol PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome
}

/// A step failure with a message for the user (it lands in the job log and `sluice status`).
public struct StepFailure: Error, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The stop signal for a long step: the job stays RUNNING and reruns from its checkpoint after restart.
public struct StepInterrupted: Error {}
