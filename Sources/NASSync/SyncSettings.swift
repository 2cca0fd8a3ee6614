/// How a sync runs: where to, whether it mirrors, how it retries; built from `sync.*` in the config.
public struct SyncSettings: Equatable, Sendable {
    public var destination: SyncDestination
    public var mirror = false
    public var maxDeletions = 50
    public var removeLocalAfterVerify = false
    public var attempts = 4
    public var retryDelaySeconds = 5.0
    public var timeoutSeconds = 300
    public var bandwidthLimitKiB = 0
    /// The remote shell for `host:path` destinations (never prompts: a daemon has no one to answer).
    public var sshCommand = "ssh -o BatchMode=yes"
    /// The rsync executable (a name looked up on PATH, or a path).
    public var rsyncPath = "rsync"

    public init(destination: SyncDestination) {
        self.destination = destination
    }

    /// The delay before retry number `retry` (1-based): the base delay doubled each time, at most 10 minutes.
    public func delay(beforeRetry retry: Int) -> Double {
        min(retryDelaySeconds * Double(1 << min(retry - 1, 20)), 600)
    }
}
