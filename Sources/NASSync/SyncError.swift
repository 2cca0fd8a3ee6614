/// Why a sync did not finish, each with a message that says what to do.
public enum SyncError: Error, Equatable, Sendable, CustomStringConvertible {
    case noDestination
    case invalidDestination(String, String)
    case sourceMissing(String)
    /// rsync ended with a non-zero exit code (after the retries, for transient codes).
    case rsyncFailed(code: Int32, attempts: Int, detail: String)
    /// rsync was killed by a signal (not retried: someone stopped it).
    case interrupted(signal: Int32)
    case cannotStart(String)
    /// A mirror run would delete more files than `sync.max_deletions` allows.
    case deletionCapExceeded(count: Int, cap: Int, examples: [String])
    /// The checksum pass after the transfer found files that differ on the destination.
    case verificationFailed([String])

    public var description: String {
        switch self {
        case .noDestination:
            return "no sync destination: set sync.destination in sluice.yaml (a mounted path, host:path or rsync://host/module/path)"
        case .invalidDestination(let value, let reason):
            return "sync.destination '\(value)': \(reason)"
        case .sourceMissing(let path):
            return "\(path) does not exist: there is nothing to sync yet"
        case .rsyncFailed(let code, let attempts, let detail):
            let tries = attempts > 1 ? " after \(attempts) attempts" : ""
            let tail = detail.isEmpty ? "" : "\nrsync said: \(detail)"
            return "sync failed\(tries): \(RsyncExitCode.message(for: code)) (rsync exit code \(code))\(tail)"
        case .interrupted(let signal):
            return "rsync was stopped by signal \(signal); run the sync again to resume (finished files are not sent twice)"
        case .cannotStart(let reason):
            return "cannot run rsync: \(reason) (install the rsync package)"
        case .deletionCapExceeded(let count, let cap, let examples):
            let sample = examples.prefix(5).joined(separator: ", ")
            return "refused: mirroring would delete \(count) files on the destination, more than sync.max_deletions (\(cap)); "
                + "for example \(sample). Check final/, then raise sync.max_deletions if this is intended"
        case .verificationFailed(let paths):
            return "verification failed: \(paths.count) file(s) differ on the destination after the transfer "
                + "(\(paths.prefix(5).joined(separator: ", "))); nothing was removed locally; run the sync again"
        }
    }
}
