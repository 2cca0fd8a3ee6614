import ArgumentParser
import Foundation

/// The exit statuses every command uses, as `--help` and the README list them.
enum ExitStatus {
    /// Done: for `run --once`, every job completed or waits for the user.
    static let success: Int32 = 0
    /// A job failed (`run --once`), or the command could not do what was asked.
    static let failure: Int32 = 1
    /// The command line itself was wrong (unknown option, missing argument).
    static let usage: Int32 = 2
    /// `sluice.yaml` is missing, unreadable or invalid (EX_CONFIG from sysexits.h); the systemd unit does not
    /// restart on it, since restarting cannot fix a config.
    static let configError: Int32 = 78

    /// The paragraph shown at the end of `sluice --help`.
    static let helpText = """
        Exit status: 0 done (for `run --once`: every job completed or waits for you), 1 a job failed or the \
        command failed, 2 a usage error, 78 a config error (sluice.yaml missing or invalid).
        """
}

/// A message for the user and a non-zero exit, without a stack of Swift error names.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    let exitStatus: Int32

    init(_ description: String, exitStatus: Int32 = ExitStatus.failure) {
        self.description = description
        self.exitStatus = exitStatus
    }

    /// A config problem: exits 78 so that a service manager does not restart into the same error.
    static func config(_ description: String) -> CLIError { CLIError(description, exitStatus: ExitStatus.configError) }
}
