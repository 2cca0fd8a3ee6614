import Configuration

/// How a sync runs: the config's `sync.*` keys (their defaults live in `SluiceConfig.SyncSection`, in one place), the
/// destination parsed, and what only a caller sets (the rsync executable, where live progress goes).
public struct SyncSettings: Equatable, Sendable {
    public var destination: SyncDestination
    /// Mirror, deletion cap, retries, timeouts, bandwidth, ssh command: as `sync.*` says.
    public var config: SluiceConfig.SyncSection
    /// The rsync executable (a name looked up on PATH, or a path).
    public var rsyncPath = "rsync"
    /// Where the transfer's live figures go for `sluice status` (nil: nowhere).
    public var progressFile: String?

    public init(destination: SyncDestination, config: SluiceConfig.SyncSection = SluiceConfig.SyncSection()) {
        self.destination = destination
        self.config = config
    }

    /// `sync.*` from a root's config; a relative local destination is relative to the root, and the live progress
    /// goes to the root's `.sluice/sync-progress.json`.
    public init(_ section: SluiceConfig.SyncSection, root: String) throws(SyncError) {
        var destination = try SyncDestination(parsing: section.destination)
        if case .localPath(let path) = destination, !path.hasPrefix("/") { destination = .localPath(root + "/" + path) }
        self.init(destination: destination, config: section)
        progressFile = SyncProgressFile.path(stateFolder: root + "/.sluice")
    }

    /// The delay before retry number `retry` (1-based): the base delay doubled each time, at most 10 minutes.
    public func delay(beforeRetry retry: Int) -> Double {
        min(config.retryDelaySeconds * Double(1 << min(retry - 1, 20)), 600)
    }
}
