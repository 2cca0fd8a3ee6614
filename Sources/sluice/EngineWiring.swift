import Configuration
import Foundation
import Glibc
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

    /// One line per event on stderr (journald adds its own timestamps under systemd).
    static let log: @Sendable (String) -> Void = { message in
        let stamp = ISO8601DateFormatter().string(from: Date())
        FileHandle.standardError.write(Data("\(stamp) \(message)\n".utf8))
    }

    static func loadConfig(_ layout: RootLayout) throws -> SluiceConfig {
        guard layout.isInitialized else {
            throw CLIError.config("\(layout.root.path) is not a Sluice root (run `sluice init \(layout.root.path)` first)")
        }
        do { return try SluiceConfig.load(from: layout.configFile) } catch { throw CLIError.config("\(error)") }
    }
}
