import Configuration
import Foundation
import Jobs

/// What a step may use: the root's folders, the job's own folder and config, the clock, and a way to stop early.
public struct StepContext: Sendable {
    public let layout: RootLayout
    public let config: SluiceConfig
    public let jobFolder: URL
    public let captionRules: any CaptionRules
    public let now: @Sendable () -> Date
    /// True once the daemon is shutting down: long steps stop at their next checkpoint.
    public let isCancelled: @Sendable () -> Bool
    /// Reports progress (done, total) of long steps.
    public let progress: @Sendable (Int, Int) -> Void
    /// Persists the job mid-step, for choices a restart must repeat (such as the final zip's name).
    public let checkpoint: @Sendable (Job) throws -> Void

    public var source: URL { jobFolder.appendingPathComponent("source", isDirectory: true) }
    public var work: URL { jobFolder.appendingPathComponent("work", isDirectory: true) }
    public var normalized: URL { work.appendingPathComponent("normalized", isDirectory: true) }
    public var reviewedCopy: URL { work.appendingPathComponent("reviewed", isDirectory: true) }
    public var finalStage: URL { work.appendingPathComponent("final", isDirectory: true) }
    public var backups: URL { jobFolder.appendingPathComponent("backups", isDirectory: true) }
    public var indexFile: URL { jobFolder.appendingPathComponent("index.json") }
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
