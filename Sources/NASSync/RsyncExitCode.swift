/// rsync's exit codes (rsync(1), "EXIT VALUES") as plain messages, and which of them are worth retrying.
public enum RsyncExitCode {
    /// Failures a later attempt may not repeat: network, timeouts, files that changed or vanished mid-transfer.
    public static let transient: Set<Int32> = [10, 12, 23, 24, 30, 35]

    /// Whether an attempt that ended with `code` is retried.
    public static func isTransient(_ code: Int32) -> Bool { transient.contains(code) }

    /// A sentence a user can act on for each exit code.
    public static func message(for code: Int32) -> String {
        switch code {
        case 0: return "success"
        case 1: return "rsync rejected its arguments (syntax or usage error); this is a bug in Sluice, please report it"
        case 2: return "the two rsync versions cannot talk to each other (protocol incompatibility); update rsync on the destination"
        case 3: return "rsync could not select the files or folders to transfer; check that final/ and the destination exist"
        case 4: return "the destination's rsync does not support a requested action; update it, or switch sync.mirror off"
        case 5: return "the rsync session could not start; check the host, the module name and the password (RSYNC_PASSWORD)"
        case 6: return "the rsync daemon cannot write its log file; check the daemon's configuration"
        case 10: return "network error talking to the destination (socket I/O); check that it is reachable"
        case 11: return "a file could not be read or written; the destination may be full or read-only"
        case 12: return "the connection broke in the middle of the transfer (protocol data stream error)"
        case 13: return "rsync failed to write its own diagnostics"
        case 14: return "rsync could not start a helper process (IPC error); check ssh and the system's process limits"
        case 20: return "rsync was interrupted by a signal (stopped by the user or the system)"
        case 21: return "rsync failed waiting for a child process (waitpid)"
        case 22: return "rsync ran out of memory"
        case 23: return "some files were not transferred (see the errors above: permissions, a full disk, a bad name)"
        case 24: return "some files vanished while they were being transferred (they changed during the sync)"
        case 25: return "rsync stopped deleting at the deletion limit (--max-delete)"
        case 30: return "no data moved for longer than sync.timeout_seconds (timeout in data send/receive)"
        case 35: return "the rsync daemon did not answer the connection in time"
        case 127: return "rsync is not installed (install the rsync package)"
        default: return "rsync failed with exit code \(code)"
        }
    }
}
