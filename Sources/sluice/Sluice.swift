import ArgumentParser
import Configuration
import Foundation
import SluiceLogging

/// The `sluice` command: subcommands only parse arguments and call into the libraries (started by main.swift).
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
}

enum SluiceVersion {
    static let number = "0.1.0"
    /// `0.1.0 (commit 1a2b3c4d5e6f)`; the commit is recorded by scripts/install.sh (BuildInfo).
    static let current = "\(number) (\(BuildInfo.commit))"
}
