import Foundation

/// What a step's run returned.
public enum StepOutcome: Equatable, Sendable {
    case success
    case wait(String)
    /// Wait for a service until `until` (a quota reset, a retry round), whatever the step's kind; the engine's clock
    /// resumes the job then (`JobDecisions.Event.clock`).
    case waitUntil(Date, String)
    case fail(String)
}

/// Something that happened to a job: a step finished, or the user asked for something.
public enum JobEvent: Equatable, Sendable {
    /// The engine picks up a queued job.
    case start
    case stepFinished(Step, StepOutcome)
    /// RESUME marker, a move to reviewed/, `sluice resume`, or a result zip that arrived.
    case resume
    case pause
    case stop
    case retry
    /// Something outside a step decided the job cannot go on (a wait that timed out).
    case fail(String)
}

/// What the engine must do after an event.
public enum JobAction: Equatable, Sendable {
    case runStep(Step)
    case waitForUser(String)
    case waitForFile(String)
    case complete
    case fail(String)
    case none
}

/// The pure transition logic of one job: status and step in, the next action out; no files, no clock.
public struct JobStateMachine: Codable, Equatable, Sendable {
    public private(set) var status: JobStatus
    public private(set) var step: Step
    public private(set) var waitReason: String?
    public private(set) var failure: String?
    /// The status a paused job returns to when resumed.
    public private(set) var statusBeforePause: JobStatus?
    /// When a job waiting for a service (WAITING_EXTERNAL) may go on.
    public private(set) var resumeAt: Date?
    public let plan: StepPlan

    public init(
        plan: StepPlan, status: JobStatus = .queued, step: Step? = nil, waitReason: String? = nil,
        failure: String? = nil, statusBeforePause: JobStatus? = nil
    ) {
        self.plan = plan
        self.status = status
        self.step = step ?? plan.steps[0]
        self.waitReason = waitReason
        self.failure = failure
        self.statusBeforePause = statusBeforePause
    }

    /// The action for a job as it stands, used when the engine (re)starts: a RUNNING step runs again from its start.
    public var pendingAction: JobAction {
        switch status {
        case .queued, .running: .runStep(step)
        case .waitingManual: .waitForUser(waitReason ?? "")
        case .waitingDownload, .waitingExternal: .waitForFile(waitReason ?? "")
        case .completed: .complete
        case .failed: .fail(failure ?? "")
        case .paused, .stopped: .none
        }
    }

    public mutating func event(_ event: JobEvent) -> JobAction {
        switch event {
        case .start:
            guard status == .queued else { return .none }
            status = .running
            return .runStep(step)
        case .stepFinished(let finished, let outcome):
            guard finished == step, status == .running || status == .queued else { return .none }
            return finish(outcome)
        case .resume:
            switch status {
            case .paused:
                status = statusBeforePause ?? .running
                statusBeforePause = nil
                return pendingAction
            case .waitingManual, .waitingDownload, .waitingExternal:
                status = .running
                waitReason = nil
                resumeAt = nil
                return .runStep(step)
            default:
                return .none
            }
        case .pause:
            guard !status.isFinished, status != .paused else { return .none }
            statusBeforePause = status == .queued ? .running : status
            status = .paused
            return .none
        case .stop:
            guard !status.isFinished else { return .none }
            status = .stopped
            statusBeforePause = nil
            return .none
        case .fail(let message):
            guard !status.isFinished else { return .none }
            failure = message
            status = .failed
            return .fail(message)
        case .retry:
            guard status == .failed || status == .stopped else { return .none }
            status = .running
            failure = nil
            waitReason = nil
            return .runStep(step)
        }
    }

    private mutating func finish(_ outcome: StepOutcome) -> JobAction {
        switch outcome {
        case .success:
            guard let next = plan.step(after: step) else {
                status = .completed
                return .complete
            }
            step = next
            if next == .done {
                status = .completed
                return .complete
            }
            status = .running
            return .runStep(next)
        case .wait(let reason):
            waitReason = reason
            status = step.kind == .externalWait ? .waitingDownload : .waitingManual
            return step.kind == .externalWait ? .waitForFile(reason) : .waitForUser(reason)
        case .waitUntil(let date, let reason):
            waitReason = reason
            resumeAt = date
            status = .waitingExternal
            return .waitForFile(reason)
        case .fail(let message):
            failure = message
            status = .failed
            return .fail(message)
        }
    }
}
