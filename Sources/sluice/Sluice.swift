import ArgumentParser

/// The `sluice` command: subcommands only parse arguments and call into the libraries (started by main.swift).
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Prepares anime-style image datasets for LoRA training and organizes image libraries.",
        version: SluiceVersion.current,
        subcommands: [
            InitCommand.self, WatchCommand.self, RunCommand.self, StatusCommand.self,
            PauseCommand.self, ResumeCommand.self, StopCommand.self, RetryCommand.self,
            OpenCommand.self, NormalizeCommand.self, PresetsCommand.self, LookupCommand.self, SidecarCommand.self,
        ]
    )
}

enum SluiceVersion {
    static let current = "0.1.0"
}
