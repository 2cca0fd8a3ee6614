import Configuration
import Foundation
import Jobs
import Logging

/// The seam between the engine and what a job does. A profile is an ordered list of steps, each with its kind
/// (`Step.Kind`: automatic, waiting for the user, waiting for a file), and the worker that does each step. The engine
/// knows a profile only through this protocol: it asks for the plan when a job starts and for a step's worker when
/// the job's state machine says to run it; `JobDecisions` and `JobStateMachine` decide everything else.
///
/// The dataset profile (`DatasetProfile`) is the first. Adding one (the library profile) means a new type
/// conforming here, its steps in their own files, and passing it to `Engine.init(profiles:)`: the dataset steps
/// stay untouched.
public protocol Profile: Sendable {
    /// Recorded in job.json as `profile`; how a job finds its profile again after a restart.
    var name: String { get }
    /// The steps of a new job for a drop that entered at `entry`, with the config the job starts with.
    func plan(for entry: DropEntry, config: SluiceConfig) -> StepPlan
    /// The worker of one of the profile's steps; nil when this build cannot run it.
    func worker(for step: Step, tools: StepTools) -> (any PipelineStep)?
}

/// Where a drop entered the root.
public enum DropEntry: String, Sendable {
    /// A new drop in inbox/.
    case inbox
    /// A dataset dropped straight into reviewed/ (already reviewed by hand).
    case reviewed
}

/// What the engine hands to workers, injected so tests (and benchmarks) can vary them.
public struct StepTools: Sendable {
    public let inspectImage: @Sendable (String) throws -> ImageFacts
    public let stripMetadata: @Sendable (String, URL) throws -> String?
    /// The engine's log, for steps that report as they go (a line per library batch).
    public let logger: Logger
}
