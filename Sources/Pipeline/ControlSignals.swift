import Foundation
import Glibc

/// SIGTERM, SIGINT, SIGHUP and SIGUSR1 for the daemon and `run --once`: blocked in every thread from the first line
/// of `main`, then read one at a time by one thread with sigwait(2). A signal that comes before anyone listens waits
/// instead of killing the process, and no signal handler ever runs: the reader only posts the signal's number.
public enum ControlSignals {
    /// The signals Sluice acts on.
    public static let numbers: [Int32] = [SIGTERM, SIGINT, SIGHUP, SIGUSR1]

    /// Blocks the signals in the calling thread; every thread started after inherits the mask. Call it first in main.
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// The blocked signals as they arrive, read by one thread started on first use; one consumer per process.
    public static let received: AsyncStream<Int32> = {
        let (stream, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .unbounded)
        let reader = Thread {
            var set = signalSet()
            while true {
                var number: Int32 = 0
                if sigwait(&set, &number) == 0 { continuation.yield(number) }
            }
        }
        reader.name = "sluice-signals"
        reader.start()
        return stream
    }()

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for number in numbers { sigaddset(&set, number) }
        return set
    }
}
