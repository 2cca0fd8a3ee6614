import Configuration

extension SyncSettings {
    /// `sync.*` from the config; a relative local destination is relative to the root.
    public init(_ section: SluiceConfig.SyncSection, root: String) throws(SyncError) {
        var destination = try SyncDestination(parsing: section.destination)
        if case .localPath(let path) = destination, !path.hasPrefix("/") { destination = .localPath(root + "/" + path) }
        self.init(destination: destination)
        mirror = section.mirror
        maxDeletions = section.maxDeletions
        removeLocalAfterVerify = section.removeLocalAfterVerify
        attempts = section.attempts
        retryDelaySeconds = section.retryDelaySeconds
        timeoutSeconds = section.timeoutSeconds
        bandwidthLimitKiB = section.bandwidthLimitKiB
        sshCommand = section.sshCommand
    }
}
