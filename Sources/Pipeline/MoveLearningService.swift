import CategoryLearning
import Configuration
import Foundation
import Library
import Logging
import ServiceLifecycle

/// Learns categories from the user's moves under a library root's `final/` while the daemon runs: a service of the
/// daemon's `ServiceGroup`, the only owner of the root's `FinalFolderWatcher`.
///
/// It watches first, then (on the watcher's thread) learns the moves made while Sluice was down, then records every
/// move pair until graceful shutdown. Sluice's own writes teach nothing: the organize stage records each placement
/// before the file lands and lands it by a hard link (a create, not a move), so when the watcher meets the file (in a
/// category folder it has just started watching) the store already has it at that path.
public struct MoveLearningService: Service {
    public let layout: RootLayout
    private let logger: Logger

    /// Whether a root's config asks for it: the library profile, categorize on, `learning.enabled`.
    public static func isWanted(by config: SluiceConfig) -> Bool {
        config.profile == .library && config.learning.enabled && config.library.stages.categorize
    }

    public init(layout: RootLayout, logger: Logger) {
        self.layout = layout
        self.logger = logger
    }

    /// Watches until graceful shutdown or cancellation; a failure to start is logged and the daemon goes on without it.
    public func run() async {
        let watcher: FinalFolderWatcher
        let final = layout.final.path
        do {
            watcher = try start()
        } catch {
            logger.error("learning: moves in \(final) are not watched until the next start: \(error)")
            return
        }
        logger.info("learning: watching \(final) for your moves")
        try? await gracefulShutdown()
        // `stop()` waits for the watcher's thread to handle what is queued: off the shared pool.
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread {
                watcher.stop()
                done.resume()
            }.start()
        }
        logger.info("learning: stopped watching \(final)")
    }

    private func start() throws -> FinalFolderWatcher {
        try FileManager.default.createDirectory(at: layout.final, withIntermediateDirectories: true)
        let store = try CorrectionStore(path: CorrectionStore.path(stateFolder: layout.state.path))
        let logger = self.logger
        let recorder = CorrectionRecorder(finalFolder: layout.final.path, store: store, log: { logger.info("\($0)") })
        let watcher = try FinalFolderWatcher(recorder: recorder)
        let reports = layout.state.appendingPathComponent("reports").path
        try watcher.start {
            // The moves made while Sluice was down, found by content hash; the watches already exist, so a move made
            // meanwhile is queued, not missed. SIGTERM ends it early.
            // One manifest's placements in memory at a time; the store skips those it knows.
            var reconciler = StartupReconciler(recorder: recorder)
            reconciler.shouldStop = { watcher.isStopping }
            do {
                try RunReport.forEachPlacementList(inReports: reports, warn: { logger.warning("learning: \($0)") }) {
                    try store.importPlacements($0)
                }
                let learned = try reconciler.reconcile(manifests: [])
                logger.info("learning: \(learned.count) move(s) made in final/ while Sluice was down were learned")
            } catch {
                logger.error("learning: the moves made while Sluice was down were not read: \(error)")
            }
        }
        return watcher
    }
}
