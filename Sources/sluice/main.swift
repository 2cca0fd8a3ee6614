import ArgumentParser
import Logging
import Pipeline

// The daemon and `run --once` act on SIGTERM, SIGINT, SIGHUP and SIGUSR1: take them over here, before any other
// thread exists, so an early one waits for the engine instead of killing the process. Other commands keep the
// default actions (Ctrl-C stops them at once).
if let command = CommandLine.arguments.dropFirst().first(where: { !$0.hasPrefix("-") }), ["watch", "run"].contains(command) {
    ControlSignals.takeOver()
}
// Log lines go to stderr, so stdout stays the commands' output (the service branch's SluiceLogging replaces this).
LoggingSystem.bootstrap(StreamLogHandler.standardError)
await runSluice()

/// What ArgumentParser's async `main()` does. In an async function, so `run()` resolves to the async requirement
/// (written as top-level code, it resolved to the synchronous one, which prints help).
func runSluice() async {
    do {
        var command = try await Sluice.asyncParseAsRoot(nil)
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        Sluice.exit(withError: error)
    }
}
