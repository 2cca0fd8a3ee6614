import ArgumentParser
import Configuration
import Foundation

/// The `sluice` command: subcommands only parse arguments and call into the libraries.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Prepares anime-style image datasets for LoRA training and organizes image libraries.",
        discussion: ExitStatus.helpText,
        version: SluiceVersion.current,
        subcommands: [
            InitCommand.self, WatchCommand.self, RunCommand.self, StatusCommand.self,
            PauseCommand.self, ResumeCommand.self, StopCommand.self, RetryCommand.self,
            OpenCommand.self, NormalizeCommand.self, PresetsCommand.self, LookupCommand.self, SidecarCommand.self,
        ]
    )

    /// Runs the command with Sluice's exit statuses: 2 for a usage error (argument-parser's default is 64),
    /// a `CLIError`'s own status (78 for config errors), argument-parser's for the rest (help exits 0).
    static func main() async {
        do {
            var command = try parseAsRoot()
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
            let status = exitCode(for: error)
            if status == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}

enum SluiceVersion {
    static let current = "0.1.0"
}
