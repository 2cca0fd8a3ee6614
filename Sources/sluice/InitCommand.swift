import ArgumentParser
import Foundation
import Pipeline

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a Sluice root: the watched folders and a commented sluice.yaml.")

    @Argument(help: "The root folder to create or fill.") var root: String

    func run() throws {
        let layout = RootLayout(root: URL(fileURLWithPath: root))
        do {
            let config = try RootInitializer.initialize(layout)
            print("Created \(layout.root.path) with inbox/ to-autotag/ downloads/ review/ reviewed/ final/ .sluice/")
            print("Config: \(config.path)")
            print("Next: sluice watch \(layout.root.path)")
        } catch {
            throw CLIError("\(error)")
        }
    }
}
