/// Where a job stands (DESIGN §2).
public enum JobStatus: String, Codable, CaseIterable, Sendable {
    case queued = "QUEUED"
    case running = "RUNNING"
    case paused = "PAUSED"
    case waitingManual = "WAITING_MANUAL"
    case waitingDownload = "WAITING_DOWNLOAD"
    /// Waits for a service until a known time (SauceNAO's daily quota resets, a service that was down is retried).
    case waitingExternal = "WAITING_EXTERNAL"
    case completed = "COMPLETED"
    case failed = "FAILED"
    case stopped = "STOPPED"

    /// Whether the engine may run the job's current step now.
    public var isRunnable: Bool { self == .queued || self == .running }

    /// Completed, failed and stopped jobs run nothing until retried.
    public var isFinished: Bool { self == .completed || self == .failed || self == .stopped }

    /// Waiting for the user, a file or a service.
    public var isWaiting: Bool { self == .waitingManual || self == .waitingDownload || self == .waitingExternal }
}
