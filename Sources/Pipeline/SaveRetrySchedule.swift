import Foundation

/// When the engine may try again to run a job whose state it could not save (a full disk, a read-only mount):
/// exponential backoff per job, so a failing save never becomes a tight loop. Pure: the caller passes the time.
struct SaveRetrySchedule {
    /// The first wait and the longest one.
    static let firstDelay: TimeInterval = 1
    static let maximumDelay: TimeInterval = 300

    private var pending: [String: (failures: Int, retryAt: Date)] = [:]

    /// Records a failed save of `job` at `now`; returns how long the job is left alone.
    mutating func saveFailed(_ job: String, at now: Date) -> TimeInterval {
        let failures = (pending[job]?.failures ?? 0) + 1
        let delay = min(Self.firstDelay * pow(2, Double(failures - 1)), Self.maximumDelay)
        pending[job] = (failures, now.addingTimeInterval(delay))
        return delay
    }

    /// Forgets a job whose state was saved.
    mutating func saved(_ job: String) { pending[job] = nil }

    /// Whether `job` may run at `now` (no failed save, or its wait is over).
    func mayRun(_ job: String, at now: Date) -> Bool {
        guard let entry = pending[job] else { return true }
        return now >= entry.retryAt
    }
}
