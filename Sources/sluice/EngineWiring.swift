import Configuration
import Foundation
import Glibc
import Logging
import Pipeline

/// Builds an engine with the real components: the preset's caption rules and the image decoders.
enum EngineWiring {
    static func engine(layout: RootLayout, config: SluiceConfig) -> Engine {
        Engine(
            layout: layout, config: config,
            captionRules: { config, layout in try PresetCaptionRules(config: config, root: layout.root) },
            inspectImage: ImageInspection.facts(ofImageAt:),
            logger: logger, progress: ProgressLine.isTerminal ? ProgressLine() : nil,
            profiles: [DatasetProfile(), LibraryProfile(makeLookup: LibraryProfile.standardLookup(version: SluiceVersion.current))])
    }

    /// The engine's log: swift-log, one line per event (the executable's bootstrap picks the terminal or journald form).
    static let logger = Logger(label: "sluice")

    static func loadConfig(_ layout: RootLayout) throws -> SluiceConfig {
        guard layout.isInitialized else {
            throw CLIError.config("\(layout.root.path) is not a Sluice root (run `sluice init \(layout.root.path)` first)")
        }
        do { return try SluiceConfig.load(from: layout.configFile) } catch { throw CLIError.config("\(error)") }
    }
}
