import FolderWatch
import Foundation
import ZipArchive

extension DropFilter {
    /// Sluice's drops: the default temporary names, and a zip counts only once its central directory reads.
    static let sluiceDrops = DropFilter(isFileComplete: { url in
        url.pathExtension.lowercased() != "zip" || ZipReader.isComplete(url.path)
    })
}

/// `sluice run ROOT --once`: the daemon's engine without watching; returns when every job waits or is done.
public enum OnceRunner {
    /// Drops still being written are waited for (up to the settle period at a time) rather than taken half-done.
    public static func run(_ engine: Engine, output: @Sendable (String) -> Void = { _ in }) throws {
        let settle = TimeInterval(engine.config.watch.settleMilliseconds) / 1000
        let filter = DropFilter.sluiceDrops
        var rounds = 0
        while true {
            rounds += 1
            var unsettled = 0
            try engine.reconcile { url in
                let quiet = isQuiet(url, settle: settle, filter: filter)
                if !quiet { unsettled += 1 }
                return quiet
            }
            let steps = engine.runUntilIdle()
            if steps == 0 && unsettled == 0 { break }
            if steps == 0 && unsettled > 0 {
                if rounds > 10_000 { break }
                Thread.sleep(forTimeInterval: max(0.05, settle / 4))
            }
        }
    }

    /// Unchanged over the settle period, nothing modified within it, and no temporary files inside.
    static func isQuiet(_ url: URL, settle: TimeInterval, filter: DropFilter) -> Bool {
        guard let first = EntrySnapshot.take(url) else { return false }
        let newest = first.items.map(\.modified).max() ?? 0
        let age = Date().timeIntervalSince1970 - TimeInterval(newest) / 1_000_000_000
        if age < settle { return false }
        if filter.blockingReason(directory: url.deletingLastPathComponent(), name: url.lastPathComponent, snapshot: first) != nil {
            return false
        }
        return true
    }
}
