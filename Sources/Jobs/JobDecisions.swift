import Foundation

/// The engine's decisions about a job outside its steps, in one pure place: the job's persisted facts and an event
/// in, the updated job and the lines to log out. No files, no clock of its own: the caller passes the time.
public enum JobDecisions {
    /// Something the engine noticed about a job.
    public enum Event: Equatable, Sendable {
        /// `sluice pause|resume|stop|retry`, from `origin`.
        case control(ControlRequest.Action, origin: String)
        /// RESUME in the review folder, or the folder moved to reviewed/.
        case reviewApproved(origin: String)
        /// A result zip matched the job's upload and was taken into its folder.
        case resultTaken(zip: String, origin: String, summary: String)
        /// Time passed: a wait for the auto-tagger's result may have run out.
        case tick(now: Date, resultTimeout: TimeInterval)
        /// Time passed: a wait for a service (WAITING_EXTERNAL) may be over.
        case clock(now: Date)
        /// A library review batch was approved (RESUME, or moved to reviewed/): the job's stages run again.
        case reviewBatchApproved(origin: String)
    }

    /// A line for the job's log.
    public struct Line: Equatable, Sendable {
        public let level: Job.LogEntry.Level
        public let message: String
        public init(level: Job.LogEntry.Level, message: String) {
            self.level = level
            self.message = message
        }
    }

    /// The job after `event`, and what to log; the job is unchanged (and no line) when the event does not apply.
    public static func decide(_ job: Job, _ event: Event) -> (job: Job, lines: [Line]) {
        var job = job
        switch event {
        case .control(let action, let origin):
            if action == .resume && job.status == .waitingManual && job.step == .review { job.artifacts.reviewApproved = true }
            if action == .retry && job.step == .waitForResult { job.artifacts.waitStartedAt = nil }
            let before = job.status
            _ = job.machine.event(ControlRequest.event(for: action))
            let effect = job.status == before ? "no change (\(before.rawValue))" : "\(before.rawValue) → \(job.status.rawValue)"
            return (job, [Line(level: .info, message: "\(action.rawValue) requested by \(origin): \(effect)")])
        case .reviewApproved(let origin):
            guard job.status == .waitingManual && job.step == .review else { return (job, []) }
            job.artifacts.reviewApproved = true
            _ = job.machine.event(.resume)
            return (job, [Line(level: .info, message: "resumed by \(origin)")])
        case .resultTaken(let zip, let origin, let summary):
            guard job.status == .waitingDownload && job.step == .waitForResult else { return (job, []) }
            job.artifacts.resultZip = zip
            job.artifacts.resultZipOrigin = origin
            _ = job.machine.event(.resume)
            return (job, [Line(level: .info, message: summary)])
        case .clock(let now):
            guard job.status == .waitingExternal, let resumeAt = job.machine.resumeAt, now >= resumeAt else { return (job, []) }
            let reason = job.machine.waitReason ?? ""
            _ = job.machine.event(.resume)
            return (job, [Line(level: .info, message: "resumed: the wait is over (\(reason))")])
        case .reviewBatchApproved(let origin):
            guard job.status == .waitingManual || job.status == .waitingExternal else { return (job, []) }
            _ = job.machine.event(.resume)
            return (job, [Line(level: .info, message: "resumed by \(origin)")])
        case .tick(let now, let timeout):
            guard job.status == .waitingDownload && job.step == .waitForResult, let started = job.artifacts.waitStartedAt,
                now.timeIntervalSince(started) > timeout
            else { return (job, []) }
            let span = timeout >= 120 ? "\(Int(timeout / 60)) minutes" : "\(Int(timeout)) seconds"
            _ = job.machine.event(.fail("No downloaded zip detected within \(span) (downloads.timeout_minutes); `sluice retry \(job.id)` waits again"))
            return (job, [Line(level: .error, message: "FAILED: No downloaded zip detected within \(span)")])
        }
    }
}
