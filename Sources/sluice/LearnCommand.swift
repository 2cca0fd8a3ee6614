import ArgumentParser
import CategoryLearning
import Configuration
import Foundation
import Pipeline

/// `sluice learn show|forget`: what Sluice learned from your moves inside final/, and forgetting it.
struct LearnCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learn",
        abstract: "What was learned from your moves inside final/ (library profile), and forgetting it.",
        subcommands: [Show.self, Forget.self])

    /// The corrections store of a root (which must be initialized).
    static func store(root: String?) throws -> (CorrectionStore, SluiceConfig) {
        let layout = RootLayout(root: URL(fileURLWithPath: root ?? RootOption.defaultRoot()))
        guard layout.isInitialized else {
            throw CLIError("\(layout.root.path) is not a Sluice root (run `sluice init \(layout.root.path)` first)")
        }
        let config: SluiceConfig
        do { config = try SluiceConfig.load(from: layout.configFile) } catch { throw CLIError("\(error)") }
        return (try CorrectionStore(path: CorrectionStore.path(stateFolder: layout.state.path)), config)
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Corrections by category, with the tags that explain them.")
        @Argument(help: "Sluice root (default: $SLUICE_ROOT or the current folder).")
        var root: String?

        func run() throws {
            let (store, config) = try LearnCommand.store(root: root)
            let corrections = try store.corrections()
            let placements = try store.allPlacements()
            print("\(corrections.count) correction(s) learned from your moves; \(placements.count) placed image(s) known")
            print("suggestions are used at confidence >= \(config.learning.minConfidence) with >= \(config.learning.minExamples) "
                + "supporting moves\(config.learning.enabled ? "" : " (learning is switched off: learning.enabled: false)")")
            for line in LearnCommand.summary(corrections) { print(line) }
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget the corrections into a category (and its subfolders), or all.")
        @Argument(help: "The category folder, as under final/ (for example Vocaloid or Fanart/touhou).")
        var category: String?
        @Flag(help: "Forget every correction.")
        var all = false
        @Option(help: "Sluice root (default: $SLUICE_ROOT or the current folder).")
        var root: String?

        func validate() throws {
            if all == (category != nil) { throw ValidationError("name one CATEGORY, or pass --all") }
        }

        func run() throws {
            let (store, _) = try LearnCommand.store(root: root)
            let category = self.category.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            let count = try store.forget(category: all ? nil : category)
            print("forgot \(count) correction(s)\(all ? "" : " into \(category ?? "")/")")
        }
    }

    /// Per chosen category: how many moves, and the tags most of them shared ("14 of 15 moves tagged …").
    static func summary(_ corrections: [Correction]) -> [String] {
        var lines: [String] = []
        let byCategory = Dictionary(grouping: corrections, by: \.chosenCategory)
        for (category, moves) in byCategory.sorted(by: { ($0.value.count, $1.key) > ($1.value.count, $0.key) }) {
            lines.append("\(category)/: \(moves.count) move(s) into it")
            var tagCounts: [LearningTag: Int] = [:]
            for move in moves { for tag in move.allTags { tagCounts[tag, default: 0] += 1 } }
            let telling = tagCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
            for (tag, count) in telling {
                let seen = corrections.filter { $0.allTags.contains(tag) }.count
                lines.append("  \(count) of \(seen) moved image(s) tagged `\(tag)` went here")
            }
        }
        return lines
    }
}
