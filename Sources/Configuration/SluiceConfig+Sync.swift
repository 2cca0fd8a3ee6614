/// `sync.*`: rsync of `final/` to a NAS or any rsync destination.
extension SluiceConfig {
    /// When the sync runs on its own: after each batch, after each job, or only on `sluice sync`.
    public enum SyncWhen: String, Codable, CaseIterable, Sendable { case batch, job, manual }

    public struct SyncSection: Codable, Equatable, Sendable {
        /// A mounted path, `host:path` (ssh) or `rsync://host[:port]/module/path`; empty switches sync off.
        public var destination = ""
        public var when = SyncWhen.manual
        /// Also delete on the destination what is gone from `final/` (after a counted dry run).
        public var mirror = false
        /// A mirror run that would delete more than this many files is refused.
        public var maxDeletions = 50
        /// Delete the local copy of each file once the destination's checksum matches (move semantics).
        public var removeLocalAfterVerify = false
        /// Attempts for the transient rsync exit codes (10, 12, 23, 24, 30, 35), the first included.
        public var attempts = 4
        /// The first retry's delay; each further retry doubles it.
        public var retryDelaySeconds = 5.0
        /// rsync's `--timeout` (no data for this long fails the attempt); 0 waits forever.
        public var timeoutSeconds = 300
        /// rsync's `--bwlimit` in KiB/s; 0 is unlimited.
        public var bandwidthLimitKiB = 0
        /// The remote shell for `host:path` destinations (a port or a key go here: `ssh -p 2222 -i ~/.ssh/nas`).
        public var sshCommand = "ssh -o BatchMode=yes"

        public init() {}
    }

    static func parseSync(_ reader: inout ConfigReader) throws(ConfigError) -> SyncSection {
        var section = SyncSection()
        var sync = try reader.section("sync")
        section.destination = try sync.string("destination", default: section.destination)
        section.when = try sync.choice("when", default: section.when)
        section.mirror = try sync.bool("mirror", default: section.mirror)
        section.maxDeletions = try sync.int("max_deletions", default: section.maxDeletions, range: 0...10_000_000)
        section.removeLocalAfterVerify = try sync.bool("remove_local_after_verify", default: section.removeLocalAfterVerify)
        section.attempts = try sync.int("attempts", default: section.attempts, range: 1...100)
        section.retryDelaySeconds = try sync.double("retry_delay_seconds", default: section.retryDelaySeconds, range: 0...3600)
        section.timeoutSeconds = try sync.int("timeout_seconds", default: section.timeoutSeconds, range: 0...86_400)
        section.bandwidthLimitKiB = try sync.int("bandwidth_limit_kib", default: section.bandwidthLimitKiB, range: 0...10_000_000)
        section.sshCommand = try sync.string("ssh_command", default: section.sshCommand)
        if section.mirror && section.removeLocalAfterVerify {
            throw ConfigError(
                file: reader.file, line: sync.mark?.line, column: sync.mark?.column,
                kind: .invalidValue(
                    key: "sync.remove_local_after_verify",
                    message: "cannot be used with sync.mirror: true (removing the local copies would delete them on the destination)"))
        }
        try sync.rejectUnknownKeys()
        return section
    }
}
