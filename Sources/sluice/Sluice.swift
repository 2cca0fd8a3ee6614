import ArgumentParser
import Configuration
import Foundation
import SluiceLogging

/// The `sluice` command: subcommands only parse arguments and call into the libraries.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Prepares anime-style image datasets for LoRA training and organizes image libraries.",
        discussion: """
            Every command takes --log-level LEVEL (trace, debug, info, notice, warning, error, critical); the default \
            is $SLUICE_LOG_LEVEL, else info. Log lines go to stderr: time, level and job on a terminal, the \
            sd-daemon priority prefix under journald.

            \(ExitStatus.helpText)
            """,
        version: SluiceVersion.current,
        subcommands: [
            InitCommand.self, WatchCommand.self, RunCommand.self, StatusCommand.self,
            PauseCommand.self, ResumeCommand.self, StopCommand.self, RetryCommand.self,
            OpenCommand.self, NormalizeCommand.self, PresetsCommand.self, LookupCommand.self, SidecarCommand.self,
            ServiceCommand.self,
            LearnCommand.self, SyncCommand.self,
            LibraryCommand.self,
            ReviewCommand.self,
        ]
    )

    /// Sets up logging from `--log-level` (taken out of the arguments, wherever it stands), then runs the command
    /// with Sluice's exit statuses: 2 for a usage error (argument-parser's default is 64), a `CLIError`'s own
    /// status (78 for config errors), argument-parser's for the rest (help exits 0).
    static func main() async {
        let (option, arguments) = SluiceLogging.extractLevelOption(from: Array(CommandLine.arguments.dropFirst()))
        do {
            SluiceLogging.bootstrap(level: try SluiceLogging.level(option: option))
        } catch {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            Foundation.exit(ExitStatus.usage)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
            Foundation.exit(error.exitStatus)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(ExitStatus.configError)
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

enum SluiceVersion {
    static let number = "0.1.0"
    /// `0.1.0 (commit 1a2b3c4d5e6f)`; the commit is recorded by scripts/install.sh (BuildInfo).
    static let current = "\(number) (\(BuildInfo.commit))"
}
