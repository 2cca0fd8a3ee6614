import FolderWatch

/// The rsync command lines of a sync, built from the settings alone (pure, so the flags are testable).
public struct RsyncArguments: Sendable {
    /// Where rsync keeps partly sent files between attempts (inside each destination folder; never synced itself).
    public static let partialDirectory = ".sluice-partial"

    public var source: String
    public var settings: SyncSettings

    /// `source` is the local `final/` folder; its contents (not the folder itself) land in the destination.
    public init(source: String, settings: SyncSettings) {
        self.source = source.hasSuffix("/") ? source : source + "/"
        self.settings = settings
    }

    /// Sluice's own files (dot-names: `.sluice/`, `.sluice-partial/`, reports) and files still being written never
    /// travel; a temporary file's sidecar stays behind with it. Excluded names are also protected from `--delete`.
    public static var filterRules: [String] {
        var rules = ["--exclude=.*"]
        for suffix in DropFilter.defaultTemporarySuffixes {
            rules.append("--exclude=*\(suffix)")
            rules.append("--exclude=*\(suffix).xmp")
        }
        return rules
    }

    /// Flags every run shares: recursive, times (so a second run compares cheaply), no symlinks followed or copied,
    /// itemized output with names unescaped, partial files kept for the next attempt.
    var common: [String] {
        var flags = [
            "--recursive", "--times", "--itemize-changes", "--8-bit-output",
            "--partial-dir=\(RsyncArguments.partialDirectory)",
        ]
        if settings.config.timeoutSeconds > 0 { flags.append("--timeout=\(settings.config.timeoutSeconds)") }
        if settings.config.bandwidthLimitKiB > 0 { flags.append("--bwlimit=\(settings.config.bandwidthLimitKiB)") }
        if case .remoteShell = settings.destination { flags.append("--rsh=\(settings.config.sshCommand)") }
        return flags + RsyncArguments.filterRules
    }

    /// The transfer (or its dry run); with `delete`, extraneous destination files go too, capped by `--max-delete`.
    public func transfer(dryRun: Bool, delete: Bool, progress: Bool) -> [String] {
        var flags = common
        if dryRun { flags.append("--dry-run") }
        if delete {
            flags.append("--delete")
            if !dryRun { flags.append("--max-delete=\(max(settings.config.maxDeletions, 1))") }
        }
        if progress && !dryRun { flags += ["--info=progress2", "--no-inc-recursive"] }
        return flags + [source, settings.destination.rsyncArgument]
    }

    /// A checksum dry run over the files listed in `fileList`: any file it would send differs on the destination.
    public func verification(fileList: String) -> [String] {
        common + ["--dry-run", "--checksum", "--files-from=\(fileList)", source, settings.destination.rsyncArgument]
    }
}
