import Foundation
import Glibc

/// SIGTERM, SIGINT, SIGHUP and SIGUSR1 for the daemon and `run --once`. They are blocked from the first line of
/// `main`, so one that comes early waits instead of killing the process; then a handler that only writes the
/// signal's number into a pipe is installed (write(2) is async-signal-safe), and one thread reads the pipe and
/// posts each number: no other code runs in signal context.
public enum ControlSignals {
    /// The signals Sluice acts on.
    public static let numbers: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGUSR1]

    /// Blocks the signals in the calling thread; threads started after inherit the mask. Call it first in main.
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// The signals as they arrive, read by one thread started on first use; one consumer per process.
    public static let received: AsyncStream<Int32> = {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .unbounded)
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return stream }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
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
        let readEnd = ends[0]
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

    /// The pipe's write end, for the handler. Set once, before any handler is installed, and only read after.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in numbers { sigaddset(&set, number) }
        return set
    }
}
