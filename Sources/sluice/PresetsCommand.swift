import ArgumentParser
import Foundation
import TagNormalization

/// `sluice presets list|show NAME|check FILE`: the shipped and user presets.
struct PresetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "presets",
        abstract: "List, show and check tag normalization presets.",
        subcommands: [List.self, Show.self, Check.self]
    )

    /// `sluice presets list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the presets found, with where each comes from (a file, or built in).")

        func run() throws {
            let library = PresetLibrary.standard()
            print("Search order: " + (library.directories.map(\.path) + ["built-in"]).joined(separator: ", "))
            for name in library.names() {
                let sources = library.sources(forName: name)
                guard let used = sources.first else { continue }
                var origin = used.isBuiltIn ? "built-in" : used.path
                if !used.isBuiltIn && sources.contains(where: \.isBuiltIn) { origin += " [shadows built-in]" }
                let description: String
                do { description = try library.load(name).description } catch { description = "BROKEN: \(error)" }
                print("\(name.padding(toLength: 12, withPad: " ", startingAt: 0)) \(origin)\n             \(description)")
            }
        }
    }

    /// `sluice presets show NAME`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a preset's resolved rules (after extends) as JSON.")

        @Argument(help: "A preset name or a path to a preset .json file.")
        var name: String

        func run() throws {
            print(try PresetLibrary.standard().load(name).resolvedJSON())
        }
    }

    /// `sluice presets check FILE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a preset file: syntax (with line and column), unknown keys, alias and implication cycles.")

        @Argument(help: "The preset .json file to check.")
        var file: String

        func run() throws {
            let library = PresetLibrary.standard()
            let url = URL(fileURLWithPath: file).standardizedFileURL
            let preset = try Preset.load(from: url, library: library)
            print("\(url.path): OK, preset '\(preset.name)': \(preset.statistics).")
        }
    }
}
