import Glibc

/// The controlling terminal in raw mode on the alternate screen, restored on exit, on fatal signals and on SIGTERM.
public final class RawTerminal {
    public private(set) var isActive = false

    public init() {}

    /// True when both stdin and stdout are terminals (the screen refuses to start otherwise).
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// Enters raw mode and the alternate screen, and installs the handlers that undo both.
    public func enter() {
        guard !isActive else { return }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return }
        TerminalRestore.saved = original
        TerminalRestore.hasSaved = 1
        var raw = original
        cfmakeraw(&raw)
        raw.c_cc.6 = 1  // VMIN: a read returns as soon as one byte is there
        raw.c_cc.5 = 0  // VTIME
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw)
        TerminalRestore.installHandlers()
        write(TerminalRestore.enterSequence)
        isActive = true
    }

    /// Leaves the alternate screen and restores the terminal as it was.
    public func leave() {
        guard isActive else { return }
        TerminalRestore.restore()
        isActive = false
    }

    /// The current size from TIOCGWINSZ; 80×24 when it cannot be read.
    public static func size() -> TerminalSize {
        var window = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &window) == 0, window.ws_col > 0, window.ws_row > 0 else {
            return TerminalSize(columns: 80, rows: 24)
        }
        let columns = Int(window.ws_col), rows = Int(window.ws_row)
        let cellWidth = window.ws_xpixel > 0 ? Int(window.ws_xpixel) / columns : 8
        let cellHeight = window.ws_ypixel > 0 ? Int(window.ws_ypixel) / rows : 16
        return TerminalSize(columns: columns, rows: rows, cellWidth: max(cellWidth, 1), cellHeight: max(cellHeight, 1))
    }

    /// Writes all of `text` to stdout.
    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        TerminalRestore.writeAll(&bytes)
    }

    /// Reads what is available on stdin, waiting at most `timeoutMilliseconds`; also wakes on a resize.
    /// Returns nil on timeout, an empty array after a resize.
    public func read(timeoutMilliseconds: Int32) -> [UInt8]? {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: TerminalRestore.resizePipe.read, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&fds, 2, timeoutMilliseconds)
        guard ready > 0 else { return nil }
        if fds[1].revents != 0 {
            var drain = [UInt8](repeating: 0, count: 64)
            _ = Glibc.read(TerminalRestore.resizePipe.read, &drain, drain.count)
            return []
        }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = Glibc.read(STDIN_FILENO, &buffer, buffer.count)
        guard count > 0 else { return count == 0 ? [0x04] : nil }  // end of input reads as Ctrl-D
        return Array(buffer.prefix(count))
    }
}

/// The process-wide terminal state signal handlers restore. Signal handlers cannot capture context, so this is
/// global; it is written once before the handlers are installed and only read afterwards.
enum TerminalRestore {
    nonisolated(unsafe) static var saved = termios()
    nonisolated(unsafe) static var hasSaved: sig_atomic_t = 0
    nonisolated(unsafe) static var resizePipe: (read: Int32, write: Int32) = makePipe()

    /// Alternate screen, hidden cursor, cleared.
    static let enterSequence = "\u{1B}[?1049h\u{1B}[?25l\u{1B}[2J"
    /// Kitty images deleted, colours reset, cursor shown, main screen back.
    static let leaveBytes: [UInt8] = Array("\u{1B}_Ga=d\u{1B}\\\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l".utf8)

    private static func makePipe() -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return (-1, -1) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        return (fds[0], fds[1])
    }

    /// Async-signal-safe: tcsetattr(3) and write(2) only.
    static func restore() {
        guard hasSaved == 1 else { return }
        leaveBytes.withUnsafeBytes { _ = Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
        hasSaved = 0
    }

    static func writeAll(_ bytes: inout [UInt8]) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress! + done, $0.count - done) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            done += written
        }
    }

    static func installHandlers() {
        _ = resizePipe
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                TerminalRestore.restore()
                Glibc.signal(number, SIG_DFL)
                raise(number)
            }
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(signal, &action, nil)
        }
        var resize = sigaction()
        resize.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = Glibc.write(TerminalRestore.resizePipe.write, &byte, 1)
        }
        resize.sa_flags = Int32(truncatingIfNeeded: SA_RESTART)
        sigaction(SIGWINCH, &resize, nil)
        atexit { TerminalRestore.restore() }
    }
}
