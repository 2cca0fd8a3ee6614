import ArgumentParser
import Foundation
import Glibc
import Jobs
import Pipeline
import SystemIO

/// pause, resume, stop and retry share one path with the marker files: a queued request the engine applies.
struct ControlOptions: ParsableArguments {
    @Argument(help: "The job: its id, a unique prefix of it, or its dataset name.") var job: String
    @Option(help: "The Sluice root (default: $SLUICE_ROOT or the current folder).") var root: String?

    func submit(_ action: ControlRequest.Action) throws {
        let layout = RootLayout(root: URL(fileURLWithPath: root ?? RootOption.defaultRoot()))
        guard layout.isInitialized else { throw CLIError("\(layout.root.path) is not a Sluice root (use --root)") }
        let store = JobStore(stateDirectory: layout.state)
        let target: Job
        do { target = try store.resolve(job) } catch { throw CLIError("\(error)") }
        try ControlQueue(stateDirectory: layout.state).submit(
            ControlRequest(jobID: target.id, action: action, requestedAt: Date(), origin: "sluice \(action.rawValue)"))

        if let pid = FileLock.holder(of: layout.lockFile.path) {
            kill(pid, SIGUSR1)
            print("\(action.rawValue) requested for \(target.id); \(Self.describeLockHolder(pid)) applies it before its next step")
            return
        }
        // No daemon: apply the request now under the root's lock, the same way the daemon would.
        let lock: FileLock
        do { lock = try FileLock(path: layout.lockFile.path) } catch { throw CLIError("\(error)") }
        let config = try EngineWiring.loadConfig(layout)
        EngineWiring.engine(layout: layout, config: config).applyControlRequests()
        withExtendedLifetime(lock) {}
        let updated = try store.load(target.id)
        print("\(target.id): \(updated.status.rawValue) at \(updated.step.label)")
        if updated.status.isRunnable { print("run `sluice watch \(layout.root.path)` or `sluice run \(layout.root.path) --once` to continue") }
    }
}

extension ControlOptions {
    /// Which Sluice process holds a root's lock, read from its command line: both handle the wake-up signal.
    static func describeLockHolder(_ pid: Int32) -> String {
        let raw = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))) ?? Data()
        let words = raw.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        if words.contains("watch") { return "the running daemon (`sluice watch`, pid \(pid))" }
        if words.contains("run") { return "the running `sluice run --once` (pid \(pid))" }
        return "the process holding the root's lock (pid \(pid))"
    }
}

struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause a job after its current step.")
    @OptionGroup var options: ControlOptions
    func run() throws { try options.submit(.pause) }
}

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused job, or continue one waiting in review/ (same as touching RESUME).")
    @OptionGroup var options: ControlOptions
    func run() throws { try options.submit(.resume) }
}

struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a job; `sluice retry` starts it again.")
    @OptionGroup var options: ControlOptions
    func run() throws { try options.submit(.stop) }
}

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Run a failed or stopped job's step again.")
    @OptionGroup var options: ControlOptions
    func run() throws { try options.submit(.retry) }
}
