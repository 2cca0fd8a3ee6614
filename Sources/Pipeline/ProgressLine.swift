import Foundation
import Glibc

/// A progress display for long steps on a terminal (images done, rate, MB/s, ETA), redrawn in place on stderr: one
/// line, or a few (a line per stage, then the overall line). Under systemd or in a pipe nothing is drawn:
/// `LiveProgress` logs a line per batch instead.
public final class ProgressLine: @unchecked Sendable {
    // Safe: `lastDraw` and `drawnLines` are only touched with `lock` held.
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    /// How many lines the display now takes (0 when nothing is drawn), so a redraw starts at its first line.
    private var drawnLines = 0

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

    /// Redraws the display with `text`, one line per line of it (at most five times a second, the finishing call
    /// always); `finished` ends it and leaves it on screen.
    public func draw(_ text: String, finished: Bool = false) {
        lock.withLock {
            let now = Date()
            guard finished || now.timeIntervalSince(lastDraw) >= 0.2 else { return }
            lastDraw = now
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            // Back to the display's first line, then each line erased to its end (ESC [ K) so a shorter line leaves no
            // tail of a longer one, and anything below the last line erased (ESC [ J) when the display shrank.
            var output = returnToTop()
            output += lines.map { $0 + "\u{1B}[K" }.joined(separator: "\n") + "\u{1B}[J"
            if finished { output += "\n" }
            FileHandle.standardError.write(Data(output.utf8))
            drawnLines = finished ? 0 : lines.count
        }
    }

    /// Erases the display, so a log line can take its place (the next draw starts a fresh one).
    public func clear() {
        lock.withLock {
            FileHandle.standardError.write(Data((returnToTop() + "\u{1B}[J").utf8))
            drawnLines = 0
            lastDraw = .distantPast
        }
    }

    /// The escape codes that move the cursor to the start of the display's first line (ESC [ n A moves up n lines).
    private func returnToTop() -> String {
        drawnLines > 1 ? "\u{1B}[\(drawnLines - 1)A\r" : "\r"
    }
}
