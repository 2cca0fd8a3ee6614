import ArgumentParser
import Configuration
import Foundation
import Pipeline
import SluiceLogging

// The daemon and `run --once` act on SIGTERM, SIGINT, SIGHUP and SIGUSR1: take them over here, before any other
// thread exists, so an early one waits for the engine instead of killing the process. Other commands keep the
// default actions (Ctrl-C stops them at once).
if let command = CommandLine.arguments.dropFirst().first(where: { !$0.hasPrefix("-") }), ["watch", "run"].contains(command) {
    ControlSignals.takeOver()
}
await runSluice()

/// Sets up logging from `--log-level` (taken out of the arguments, wherever it stands), then does what
/// ArgumentParser's async `main()` does, with Sluice's exit statuses: 2 for a usage error (argument-parser's default
/// is 64), a `CLIError`'s own status (78 for config errors), argument-parser's for the rest (help exits 0).
/// In an async function, so `run()` resolves to the async requirement (as top-level code it resolved to the
/// synchronous one, which prints help).
func runSluice() async {
    let (option, arguments) = SluiceLogging.extractLevelOption(from: Array(CommandLine.arguments.dropFirst()))
    do {
        SluiceLogging.bootstrap(level: try SluiceLogging.level(option: option))
    } catch {
        FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
        exit(ExitStatus.usage)
    }
    do {
        var command = try Sluice.parseAsRoot(arguments)
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch let error as CLIError {
        FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
        exit(error.exitStatus)
    } catch let error as ConfigError {
        FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
        exit(ExitStatus.configError)
    } catch {
        if Sluice.exitCode(for: error) == .validationFailure {
            FileHandle.standardError.write(Data((Sluice.fullMessage(for: error) + "\n").utf8))
            exit(ExitStatus.usage)
        }
        Sluice.exit(withError: error)
    }
}
