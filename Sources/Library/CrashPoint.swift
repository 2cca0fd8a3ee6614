import Foundation
import Synchronization

/// Fault injection for the kill -9 tests: `SLUICE_LIBRARY_CRASH_AT=<point>:<n>` makes the process SIGKILL itself the
/// n-th time it reaches `<point>`, exactly as `kill -9` from outside would, but at a known moment.
enum CrashPoint {
    private static let configured: (point: String, count: Int)? = {
        guard let text = ProcessInfo.processInfo.environment["SLUICE_LIBRARY_CRASH_AT"],
            let colon = text.lastIndex(of: ":"), let count = Int(text[text.index(after: colon)...])
        else { return nil }
        return (String(text[..<colon]), count)
    }()
    private static let hits = Mutex(0)

    static func check(_ point: String) {
        guard let configured, configured.point == point else { return }
        let hit = hits.withLock { (count: inout Int) -> Int in
            count += 1
            return count
        }
        if hit == configured.count { kill(getpid(), SIGKILL) }
    }
}
