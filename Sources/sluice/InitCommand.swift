import ArgumentParser
import Configuration
import Foundation
import Pipeline

extension SluiceConfig.Profile: ExpressibleByArgument {}

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a Sluice root: the watched folders and a commented sluice.yaml.")

    @Argument(help: "The root folder to create or fill.") var root: String
    @Option(help: "dataset (LoRA training datasets) or library (tagged, reviewed and sorted into final/<Category>/).")
    var profile: SluiceConfig.Profile = .dataset

    func run() throws {
        let layout = RootLayout(root: URL(fileURLWithPath: root))
        do {
            let config = try RootInitializer.initialize(layout, profile: profile)
            let folders = layout.folders(for: profile).map { $0.lastPathComponent + "/" }.joined(separator: " ")
            print("Created \(layout.root.path) (\(profile.rawValue) profile) with \(folders)")
            print("Config: \(config.path)")
            print("Next: sluice watch \(layout.root.path)")
        } catch {
            throw CLIError("\(error)")
        }
    }
}
