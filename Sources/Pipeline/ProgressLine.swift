import Foundation
import Glibc

/// A one-line progress display for long steps on a terminal (images done, rate, MB/s, ETA), redrawn in place on
/// stderr. Under systemd or in a pipe nothing is drawn: `LiveProgress` logs a line per batch instead.
public final class ProgressLine: @unchecked Sendable {
    // Safe: `lastDraw` is only touched with `lock` held.
    private let lock = NSLock()
    private var lastDraw = Date.distantPast

    public init() {}

    /// Whether stderr is a terminal, so redrawing a line makes sense.
    public static var isTerminal: Bool { isatty(2) == 1 }

    /// Shows a step's figures; the last call (done == total) ends the line.
    func draw(job: String, step: String, figures: ProgressFigures) {
        guard figures.done > 0 else { return }
        let width = 24
        let filled = figures.total > 0 ? min(width, width * figures.done / figures.total) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        draw("\(job) \(step) [\(bar)] \(figures.summary)", finished: figures.done >= figures.total)
    }

    /// Redraws the line with `text` (at most five times a second, the finishing call always); `finished` ends it.
    public func draw(_ text: String, finished: Bool = false) {
        lock.withLock {
            let now = Date()
            guard finished || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
            lastDraw = now
            // Erase to the end of the line (ESC [ K): a shorter line must not leave the tail of a longer one.
            FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
            if finished { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }

    /// Erases the line, so a log line can take its place (the next draw starts a fresh one).
    public func clear() {
        lock.withLock {
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
            lastDraw = .distantPast
        }
    }
}
