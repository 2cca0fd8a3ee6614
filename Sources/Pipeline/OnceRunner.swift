import FolderWatch
import Foundation
import Glibc
import Logging
import ZipArchive

extension DropFilter {
    /// Sluice's drops: the default temporary names (and Sluice's own `.partial`), and a zip counts only once its
    /// central directory reads.
    static let sluiceDrops = DropFilter(temporarySuffixes: DropFilter.defaultTemporarySuffixes + [".partial"], isFileComplete: { url in
        url.pathExtension.lowercased() != "zip" || ZipReader.isComplete(url.path)
    })
}

/// `sluice run ROOT --once`: the daemon's engine without watching; returns when every job waits or is done.
///
/// Like the daemon it owns its engine alone, on a thread of its own, and reads the control signals: SIGTERM or
/// SIGINT stops at the next checkpoint (state is saved, a later run continues), SIGUSR1 (a `sluice pause|resume|
/// stop|retry` meanwhile) is applied between two steps, exactly as the daemon does; nothing kills it mid-step.
public enum OnceRunner {
    /// Drops still being written are waited for (a few settle periods at most) rather than taken half-done; drops
    /// held for another reason (a temporary name, an incomplete zip) are reported and left for a later run.
    public static func run(
        signals: AsyncStream<Int32>? = nil, logger: Logger = Logger(label: "sluice"),
        makeEngine: @escaping @Sendable () -> Engine
    ) async throws {
        let executor = ThreadExecutor(name: "sluice-once")
        defer { executor.shutdown() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(executorPreference: executor) {
                try await work(makeEngine(), logger: logger)
            }
            if let signals {
                group.addTask {
                    for await number in signals {
                        switch number {
                        case SIGTERM, SIGINT:
                            logger.notice("stopping at the next checkpoint: job state is saved; the next run continues")
                            return
                        case SIGUSR1: logger.info("control request queued: applied before the next step")
                        case SIGHUP: logger.notice("run --once does not reload; the next run reads sluice.yaml")
                        default: break
                        }
                    }
                }
            }
            // Whichever ends first (the work, or a stop signal) ends the run.
            try await group.next()
            group.cancelAll()
        }
    }

    private static func work(_ engine: Engine, logger: Logger) async throws {
        engine.startUp()
        let settle = TimeInterval(engine.config.watch.settleMilliseconds) / 1000
        let filter = DropFilter.sluiceDrops
        let giveUp = Date().addingTimeInterval(max(30, settle * 10))
        var reported: Set<String> = []
        while !Task.isCancelled {
            var changing = 0
            try engine.reconcile { url in
                switch look(at: url, settle: settle, filter: filter) {
                case .settled:
                    return true
                case .changing:
                    changing += 1
                    return false
                case .held(let reason):
                    if reported.insert(url.path).inserted { logger.notice("\(url.path): not taken yet: \(reason)") }
                    return false
                }
            }
            let steps = engine.runUntilIdle()
            if steps > 0 { continue }
            if changing == 0 || Date() > giveUp { break }
            try? await Task.sleep(for: .milliseconds(Int(max(50, settle * 250))))
        }
        // A request that came during the last step is applied before exiting.
        engine.applyControlRequests()
    }

    enum Look: Equatable {
        case settled
        case changing
        case held(String)
    }

    /// Settled: nothing in the entry modified within the settle period, and nothing holds it back.
    static func look(at url: URL, settle: TimeInterval, filter: DropFilter) -> Look {
        guard let snapshot = EntrySnapshot.take(url) else { return .changing }
        let newest = snapshot.items.map(\.modified).max() ?? 0
        let age = Date().timeIntervalSince1970 - TimeInterval(newest) / 1_000_000_000
        if age < settle { return .changing }
        if let reason = filter.blockingReason(directory: url.deletingLastPathComponent(), name: url.lastPathComponent, snapshot: snapshot) {
            return .held(reason)
        }
        return .settled
    }
}
