import Configuration
import Foundation

/// What one `sluice library run` is asked to do.
public struct LibraryRunOptions: Sendable {
    /// The folder of images (a drop).
    public var drop: String
    /// The Sluice root: final/, review/, reviewed/ and .sluice/ live here.
    public var root: String
    public var config: SluiceConfig
    /// The first stage to run after scan (scan always runs: it lists the images).
    public var from: LibraryStage
    public var to: LibraryStage
    /// Ignore Sluice's processed marker and start a fresh checkpoint.
    public var reprocess: Bool

    public init(drop: String, root: String, config: SluiceConfig, from: LibraryStage = .scan, to: LibraryStage = .sync, reprocess: Bool = false) {
        self.drop = drop
        self.root = root
        self.config = config
        self.from = from
        self.to = to
        self.reprocess = reprocess
    }

    /// Whether `stage` runs in this run: switched on in `library.stages` and inside `--from`…`--to`.
    func runs(_ stage: LibraryStage) -> Bool {
        guard stage == .scan || (stage >= from && stage <= to) else { return false }
        let stages = config.library.stages
        switch stage {
        case .scan: return stages.scan
        case .analyze: return stages.analyze
        case .lookup: return stages.lookup
        case .review: return stages.review
        case .sidecar: return stages.sidecar
        case .categorize: return stages.categorize
        case .organize: return stages.organize
        case .sync: return stages.sync
        }
    }

    /// Why a stage does not run, for the manifest.
    func whyOff(_ stage: LibraryStage) -> String {
        if stage < from { return "not run: before --from \(from.rawValue)" }
        if stage > to { return "not run: after --to \(to.rawValue)" }
        return "switched off in library.stages.\(stage.rawValue)"
    }
}
