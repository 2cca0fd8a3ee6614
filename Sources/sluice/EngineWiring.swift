import Configuration
import Foundation
import Glibc
import Logging
import Pipeline

/// Builds an engine with the real components: the preset's caption rules and the image decoders.
enum EngineWiring {
    static func engine(
        layout: RootLayout, config: SluiceConfig, isCancelled: @escaping @Sendable () -> Bool = { false }
    ) -> Engine {
        Engine(
            layout: layout, config: config,
            captionRules: { config, layout in try PresetCaptionRules(config: config, root: layout.root) },
            inspectImage: ImageInspection.facts(ofImageAt:),
            output: log, isCancelled: isCancelled, progress: ProgressLine.isTerminal ? ProgressLine() : nil)
    }

    /// One line per event, through swift-log (SluiceLogging formats it for a terminal or for journald).
    static let log: @Sendable (String) -> Void = { message in
        Logger(label: "sluice").info("\(message)")
    }

    static func loadConfig(_ layout: RootLayout) throws -> SluiceConfig {
        guard layout.isInitialized else {
            throw CLIError.config("\(layout.root.path) is not a Sluice root (run `sluice init \(layout.root.path)` first)")
        }
        do { return try SluiceConfig.load(from: layout.configFile) } catch { throw CLIError.config("\(error)") }
    }
}
