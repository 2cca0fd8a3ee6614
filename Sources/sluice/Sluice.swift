import ArgumentParser

/// The `sluice` command: subcommands only parse arguments and call into the libraries.
@main
struct Sluice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "Prepares anime-style image datasets for LoRA training and organizes image libraries.",
        subcommands: [SidecarCommand.self]
    )
}
