import Configuration
import Foundation
import Logging
import ServiceLifecycle
import SystemIO

/// `sluice watch ROOT…`: a `ServiceGroup` with one `RootLoop` per root, one `MoveLearningService` per library root
/// that learns from moves, and the signal reader. SIGTERM or SIGINT shuts the group down gracefully (every loop stops
/// at its next checkpoint), SIGHUP reloads every root's config, SIGUSR1 (a queued control request) wakes every root.
public struct Daemon {
    public enum Failure: Error, CustomStringConvertible {
        case notARoot(String)
        public var description: String {
            switch self {
            case .notARoot(let path): "\(path) is not a Sluice root (run `sluice init \(path)` first)"
            }
        }
    }

    private let loops: [RootLoop]
    private let learners: [MoveLearningService]
    private let locks: [FileLock]
    private let logger: Logger
    private let readiness: ServiceReadiness

    /// Takes each root's lock and loads its config; fails before anything runs if one cannot be had.
    public init(
        roots: [URL], logger: Logger = Logger(label: "sluice"),
        engineFactory: @escaping @Sendable (RootLayout, SluiceConfig) -> Engine
    ) throws {
        var loops: [RootLoop] = []
        var learners: [MoveLearningService] = []
        var locks: [FileLock] = []
        let readiness = ServiceReadiness(roots: roots)
        for root in roots {
            let layout = RootLayout(root: root)
            guard layout.isInitialized else { throw Failure.notARoot(root.path) }
            locks.append(try FileLock(path: layout.lockFile.path))
            let config = try SluiceConfig.load(from: layout.configFile)
            loops.append(RootLoop(layout: layout, config: config, logger: logger, readiness: readiness) { engineFactory(layout, $0) })
            if MoveLearningService.isWanted(by: config) { learners.append(MoveLearningService(layout: layout, logger: logger)) }
        }
        self.loops = loops
        self.learners = learners
        self.locks = locks
        self.logger = logger
        self.readiness = readiness
    }

    /// Runs until SIGTERM or SIGINT; returns normally so the process exits 0.
    public func run(signals: AsyncStream<Int32> = ControlSignals.received) async throws {
        let router = SignalRouter(signals: signals, loops: loops, readiness: readiness, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: loops.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
                    // A learner that could not start has logged why; the daemon goes on without it.
                    + learners.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0, successTerminationBehavior: .ignore) }
                    + [ServiceGroupConfiguration.ServiceConfiguration(service: router, successTerminationBehavior: .ignore)],
                logger: logger))
        router.group.withLock { $0 = group }
        defer { withExtendedLifetime(locks) {} }
        try await group.run()
    }
}
