import Configuration
import Dispatch
import Foundation
import SystemIO

/// `sluice watch ROOT…`: one engine per root, woken by the file system; SIGTERM stops cleanly, SIGHUP reloads.
public final class Daemon: @unchecked Sendable {
    public enum Failure: Error, CustomStringConvertible {
        case notARoot(String)
        public var description: String {
            switch self {
            case .notARoot(let path): "\(path) is not a Sluice root (run `sluice init \(path)` first)"
            }
        }
    }

    private var services: [RootService] = []
    private var signalSources: [DispatchSourceSignal] = []
    private let output: @Sendable (String) -> Void

    /// Takes each root's lock and loads its config; fails before anything runs if one cannot be had.
    public init(
        roots: [URL], output: @escaping @Sendable (String) -> Void,
        engineFactory: (RootLayout, SluiceConfig, @escaping @Sendable () -> Bool) -> Engine
    ) throws {
        self.output = output
        for root in roots {
            let layout = RootLayout(root: root)
            guard layout.isInitialized else { throw Failure.notARoot(root.path) }
            let lock = try FileLock(path: layout.lockFile.path)
            let config = try SluiceConfig.load(from: layout.configFile)
            let holder = ServiceHolder()
            let engine = engineFactory(layout, config, { holder.service?.isStopping ?? false })
            let service = RootService(layout: layout, lock: lock, engine: engine, output: output)
            holder.service = service
            services.append(service)
        }
    }

    /// Runs until SIGTERM or SIGINT; returns normally so the process exits 0.
    public func run() async throws {
        for service in services {
            try service.start()
            output("watching \(service.layout.root.path)")
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let queue = DispatchQueue(label: "sluice-signals")
            var resumed = false
            func handle(_ number: Int32, _ action: @escaping () -> Void) {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler(handler: action)
                source.resume()
                signalSources.append(source)
            }
            let stop = { [self] in
                guard !resumed else { return }
                resumed = true
                output("stopping: job state is saved; a restart continues where it left off")
                for service in services { service.stop() }
                continuation.resume()
            }
            handle(SIGTERM, stop)
            handle(SIGINT, stop)
            handle(SIGHUP) { [self] in for service in services { service.reloadConfig() } }
            handle(SIGUSR1) { [self] in for service in services { service.wake() } }
        }
    }
}

/// Lets an engine ask its own service whether it is stopping, though the service is made after the engine.
private final class ServiceHolder: @unchecked Sendable {
    weak var service: RootService?
}
