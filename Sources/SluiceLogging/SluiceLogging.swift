import Foundation
import Logging

/// Sets up swift-log for the `sluice` executable: one handler on stderr, terminal or journald format.
public enum SluiceLogging {
    /// The environment variable that sets the level when `--log-level` is not given.
    public static let levelVariable = "SLUICE_LOG_LEVEL"

    /// Installs `SluiceLogHandler` on stderr for every logger, in the format stderr calls for (journald or
    /// terminal). Call once, first thing in the executable; swift-log allows a single bootstrap per process.
    public static func bootstrap(level: Logger.Level, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let format = LogDestination.format(environment: environment)
        LoggingSystem.bootstrap { label in
            SluiceLogHandler(label: label, level: level, format: format, write: LogDestination.writeToStandardError)
        }
    }

    /// The level named by `option` (from `--log-level`), else by `$SLUICE_LOG_LEVEL`, else info.
    /// - Throws: `LogLevelError` naming the bad value and the levels allowed.
    public static func level(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(LogLevelError) -> Logger.Level
    {
        if let option { return try parseLevel(option, source: "--log-level") }
        if let configured = environment[levelVariable], !configured.isEmpty {
            return try parseLevel(configured, source: levelVariable)
        }
        return .info
    }

    /// A level name as swift-log spells it (`debug`, `info`, `notice`, `warning`, `error`, …), any case;
    /// `warn` is accepted for `warning`.
    static func parseLevel(_ text: String, source: String) throws(LogLevelError) -> Logger.Level {
        let name = text.lowercased() == "warn" ? "warning" : text.lowercased()
        guard let level = Logger.Level(rawValue: name) else { throw LogLevelError(source: source, value: text) }
        return level
    }
}

extension SluiceLogging {
    /// Takes `--log-level LEVEL` or `--log-level=LEVEL` out of a command line (before any `--`), so every
    /// subcommand accepts it without declaring it; the last one given wins.
    public static func extractLevelOption(from arguments: [String]) -> (level: String?, remaining: [String]) {
        var level: String?
        var remaining: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                remaining += arguments[index...]
                break
            }
            if argument == "--log-level", index + 1 < arguments.count {
                level = arguments[index + 1]
                index += 2
                continue
            }
            if argument.hasPrefix("--log-level=") {
                level = String(argument.dropFirst("--log-level=".count))
            } else {
                remaining.append(argument)
            }
            index += 1
        }
        return (level, remaining)
    }
}
