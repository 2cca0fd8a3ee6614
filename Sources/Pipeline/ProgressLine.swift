import Foundation
import Glibc

/// A one-line progress display for long steps on a terminal (images done, rate, ETA), redrawn in place on stderr.
/// Under systemd or in a pipe nothing is drawn: the daemon's log lines say what happened instead.
public final class ProgressLine: @unchecked Sendable {
    // Safe: `started` and `lastDraw` are only touched with `lock` held.
    private let lock = NSLock()
    private var started: [String: Date] = [:]
    private var lastDraw = Date.distantPast

    public init() {}

    /// Whether stderr is a terminal, so redrawing a line makes sense.
    public static var isTerminal: Bool { isatty(2) == 1 }

    /// Shows `done` of `total` for a job's step; the last call (done == total) ends the line.
    public func update(job: String, step: String, done: Int, total: Int) {
        lock.withLock {
            let key = job + step
            let now = Date()
            let start = started[key] ?? now
            started[key] = start
            guard done > 0 else { return }
            guard done == total || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
            lastDraw = now
            let elapsed = max(now.timeIntervalSince(start), 0.001)
            let perMinute = Double(done) / elapsed * 60
            let remaining = perMinute > 0 ? Double(total - done) / perMinute * 60 : 0
            let width = 24
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let line = String(format: "\r%@ %@ [%@] %d/%d  %.0f img/min  ETA %.0f s ", job, step, bar, done, total, perMinute, remaining)
            FileHandle.standardError.write(Data(line.utf8))
            if done == total {
                FileHandle.standardError.write(Data("\n".utf8))
                started[key] = nil
            }
        }
    }
}
