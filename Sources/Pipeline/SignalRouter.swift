import Glibc
import Logging
import ServiceLifecycle
import Synchronization
import SystemIO

/// Turns signal numbers into events: SIGTERM/SIGINT shut the service group down, SIGHUP posts a reload and SIGUSR1
/// a control request to every root's loop. It never touches an engine.
final class SignalRouter: Service {
    private let signals: AsyncStream<Int32>
    private let loops: [RootLoop]
    private let logger: Logger
    private let readiness: ServiceReadiness
    /// The group to shut down, set once before it runs.
    let group = Mutex<ServiceGroup?>(nil)

    init(signals: AsyncStream<Int32>, loops: [RootLoop], readiness: ServiceReadiness, logger: Logger) {
        self.signals = signals
        self.readiness = readiness
        self.loops = loops
        self.logger = logger
    }

    func run() async {
        for await number in signals.cancelOnGracefulShutdown() {
            switch number {
            case SIGTERM, SIGINT:
                ServiceNotification.stopping()
                logger.notice("stopping: job state is saved; a restart continues where it left off")
                let group = self.group.withLock { $0 }
                await group?.triggerGracefulShutdown()
                return
            case SIGHUP:
                readiness.reloading()
                for loop in loops { loop.post(.reloadConfig) }
            case SIGUSR1:
                for loop in loops { loop.post(.controlRequest) }
            default:
                break
            }
        }
    }
}
