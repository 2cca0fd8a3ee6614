import Configuration
import Foundation
import TagNormalization

/// The pipeline's caption rules from the configured preset (DESIGN §3): step F normalizes, step H finalizes.
public struct PresetCaptionRules: CaptionRules {
    let preset: Preset
    let cleaner: FinalCaptionCleaner

    /// Loads `normalize.preset` (a name from presets/ or a path) with the root's presets/ searched first.
    public init(config: SluiceConfig, root: URL) throws {
        let library = PresetLibrary.standard(root: root)
        let reference = config.normalize.preset
        let preset = try reference.contains("/")
            ? Preset.load(from: URL(fileURLWithPath: reference, relativeTo: root).standardizedFileURL, library: library)
            : library.load(reference)
        self.preset = preset
        let options = FinalCaptionCleaner.Options(
            optionalTags: config.final.optionalTags == .keep ? .keep : .drop,
            enforceGroupOrder: config.final.enforceGroupOrder)
        self.cleaner = FinalCaptionCleaner(options: options, preset: preset)
    }

    public var resolvedPreset: String { preset.resolvedJSON() }

    public func normalizeCaptions(
        in folder: URL, paths: [String], batchSize: Int, backupDirectory: URL, load: @Sendable (String) throws -> Data?,
        write: (_ positions: Range<Int>, _ captions: [NormalizedCaption]) throws -> Void
    ) throws -> String {
        let root = folder.path
        var normalizer = DatasetNormalizer(preset: preset)
        normalizer.folderBatchSize = max(1, batchSize)
        var report = try normalizer.normalizeCaptions(
            paths: paths, read: { try DatasetNormalizer.readCaptions($0, root: root, load: load) }, write: write)
        if report.filesChanged > 0 { report.backupDirectory = backupDirectory.path }
        return report.summary()
    }

    public func finalCaption(_ text: String, file: String) throws -> String {
        cleaner.clean(text)
    }
}
