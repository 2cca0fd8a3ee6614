import FolderWatch
import Foundation
import ZipArchive

extension DropFilter {
    /// Sluice's drops: the default temporary names (and Sluice's own `.partial`), and a zip counts only once its
    /// central directory reads.
    static let sluiceDrops = DropFilter(temporarySuffixes: DropFilter.defaultTemporarySuffixes + [".partial"], isFileComplete: { url in
        url.pathExtension.lowercased() != "zip" || ZipReader.isComplete(url.path)
    })
}

/// `sluice run ROOT --once`: the daemon's engine without watching; returns when every job waits or is done.
public enum OnceRunner {
    /// Drops still being written are waited for (a few settle periods at most) rather than taken half-done; drops
    /// held for another reason (a temporary name, an incomplete zip) are reported and left for a later run.
    public static func run(_ engine: Engine, output: @Sendable (String) -> Void = { _ in }) throws {
        let settle = TimeInterval(engine.config.watch.settleMilliseconds) / 1000
        let filter = DropFilter.sluiceDrops
        let giveUp = Date().addingTimeInterval(max(30, settle * 10))
        var reported: Set<String> = []
        while true {
            var changing = 0
            try engine.reconcile { url in
                switch look(at: url, settle: settle, filter: filter) {
                case .settled:
                    return true
                case .changing:
                    changing += 1
                    return false
                case .held(let reason):
                    if reported.insert(url.path).inserted { output("\(url.path): not taken yet: \(reason)") }
                    return false
                }
            }
            let steps = engine.runUntilIdle()
            if steps > 0 { continue }
            if changing == 0 || Date() > giveUp { break }
            Thread.sleep(forTimeInterval: max(0.05, settle / 4))
        }
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
