import Foundation
import Glibc

/// SIGTERM, SIGINT, SIGHUP and SIGUSR1 for the daemon and `run --once`. From the first line of `main` they are
/// blocked and handled by a handler that only writes the signal's number into a pipe (write(2) is
/// async-signal-safe), so one that comes early waits instead of killing the process; one thread reads the pipe and
/// posts each number. No other code runs in signal context.
public enum ControlSignals {
    /// The signals Sluice acts on.
    public static let numbers: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGUSR1]

    /// Blocks the signals in the calling thread (threads started after inherit the mask) and installs the handler,
    /// so from here on none of them kills the process; until `received` is read they wait in the pipe. Call it first
    /// in main.
    public static func takeOver() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        readEnd = ends[0]
        writeEnd = ends[1]
        for number in numbers {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(ControlSignals.writeEnd, &byte, 1)
            }
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            sigaction(number, &action, nil)
        }
    }

    /// The signals as they arrive (after `takeOver()`), read by one thread started on first use; one consumer.
    public static let received: AsyncStream<Int32> = {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .unbounded)
        let readEnd = ControlSignals.readEnd
        guard readEnd >= 0 else { return stream }
        let reader = Thread {
            // This thread takes the signals: one that waited while blocked is delivered now.
            var set = signalSet()
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 { continuation.yield(Int32(byte)) } else if count < 0 && errno != EINTR { return }
            }
        }
        reader.name = "sluice-signals"
        reader.start()
        return stream
    }()

    /// The pipe's read end, set once by `takeOver()`.
    nonisolated(unsafe) private static var readEnd: Int32 = -1
    /// The pipe's write end, for the handler. Set once, before any handler is installed, and only read after.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in numbers { sigaddset(&set, number) }
        return set
    }
}
