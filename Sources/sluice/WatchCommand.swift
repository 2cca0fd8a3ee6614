import ArgumentParser
import Configuration
import Foundation
import Jobs
import Pipeline
import SystemIO

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Run the daemon: watch each root's folders and move jobs along (SIGTERM stops, SIGHUP reloads).")

    @Argument(help: "One or more Sluice roots.") var roots: [String]

    func run() async throws {
        let urls = roots.map { URL(fileURLWithPath: $0) }
        let daemon: Daemon
        do {
            daemon = try Daemon(roots: urls, logger: EngineWiring.logger) { layout, config in
                EngineWiring.engine(layout: layout, config: config)
            }
        } catch let error as ConfigError {
            throw CLIError.config("\(error)")
        } catch let error as Daemon.Failure {
            // Not a root: there is no sluice.yaml to read, a config error as for `run --once` (78).
            throw CLIError.config("\(error)")
        } catch {
            throw CLIError("\(error)")
        }
        try await daemon.run()
    }
}

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Process everything that can progress without watching, then exit (for cron and scripts).",
        discussion: "Exit status: 0 when every job completed or waits for you, 1 when a job failed, 2 a usage error, 78 a config error.")

    @Argument(help: "The Sluice root.") var root: String
    @Flag(help: "Exit when every job waits or is done (the only mode for now; kept for clarity in scripts).")
    var once = false

    func run() async throws {
        let layout = RootLayout(root: URL(fileURLWithPath: root))
        let config = try EngineWiring.loadConfig(layout)
        try await runHoldingLock(layout, config)
        let report = try StatusReport.make(roots: [layout])
        print(report.text(), terminator: "")
        // Scripts and cron read the outcome from the exit status: 1 when any job ended FAILED.
        if report.roots.contains(where: { $0.jobs.contains { $0.status == JobStatus.failed.rawValue } }) {
            throw ExitCode(ExitStatus.failure)
        }
    }

    private func runHoldingLock(_ layout: RootLayout, _ config: SluiceConfig) async throws {
        let lock: FileLock
        do { lock = try FileLock(path: layout.lockFile.path) } catch { throw CLIError("\(error)") }
        defer { withExtendedLifetime(lock) {} }
        try await OnceRunner.run(signals: ControlSignals.received, logger: EngineWiring.logger) {
            EngineWiring.engine(layout: layout, config: config)
        }
    }
}
