import Configuration
import FolderWatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import SystemIO

/// One root's event loop, run as a service: the only owner of the root's engine. The watcher, the signal reader and
/// the timer post `RootEvent`s; the loop handles them one at a time on the root's own thread, so nothing it owns
/// needs a lock. Graceful shutdown cancels the loop: a long step stops at its next checkpoint, state is on disk.
public struct RootLoop: Service {
    public let layout: RootLayout
    private let initialConfig: SluiceConfig
    private let events: AsyncStream<RootEvent>
    private let continuation: AsyncStream<RootEvent>.Continuation
    private let makeEngine: @Sendable (SluiceConfig) -> Engine
    private let clock: any Clock<Duration>
    private let tickInterval: Duration
    private let watches: Bool
    private let logger: Logger
    /// Shared by every root of the process: READY=1 goes out once all of them are ready.
    private let readiness: ServiceReadiness
    /// Set while a `.markerChanged` waits in the stream, so a burst of hints costs one look, not one per hint.
    private let markerPending = PendingFlag()

    /// - Parameters:
    ///   - makeEngine: builds the engine inside the loop, which then owns it alone.
    ///   - clock: paces the periodic tick (timeouts, a look after anything a lost hint missed).
    ///   - watches: false for tests that post every event themselves.
    public init(
        layout: RootLayout, config: SluiceConfig, clock: any Clock<Duration> = ContinuousClock(),
        tickInterval: Duration = .seconds(60), watches: Bool = true, logger: Logger = Logger(label: "sluice"),
        readiness: ServiceReadiness? = nil, makeEngine: @escaping @Sendable (SluiceConfig) -> Engine
    ) {
        self.readiness = readiness ?? ServiceReadiness(roots: [layout.root])
        self.layout = layout
        self.initialConfig = config
        (events, continuation) = AsyncStream<RootEvent>.makeStream(bufferingPolicy: .unbounded)
        self.makeEngine = makeEngine
        self.clock = clock
        self.tickInterval = tickInterval
        self.watches = watches
        self.logger = logger
    }

    /// Queues an event for the loop; safe from any thread.
    public func post(_ event: RootEvent) {
        if case .markerChanged = event, markerPending.raise() == false { return }
        continuation.yield(event)
    }

    public func run() async throws {
        let executor = ThreadExecutor(name: "sluice-root")
        defer { executor.shutdown() }
        // Everything the loop starts (the shutdown watch included) prefers the root's thread, so a busy shared pool
        // never delays it.
        try await withTaskExecutorPreference(executor) {
            try await cancelWhenGracefulShutdown { try await loop(on: executor) }
        }
    }

    private func loop(on executor: ThreadExecutor) async throws {
        var state = LoopState(engine: makeEngine(initialConfig), logger: logger, readiness: readiness)
        state.engine.startUp()
        let ticker = Task(executorPreference: executor) { [clock, tickInterval, continuation] in
            while (try? await clock.sleep(for: tickInterval)) != nil { continuation.yield(.tick) }
        }
        var watcher: Task<Void, Never>?
        /// A one-shot tick at the earliest time a waiting job may go on (a quota reset, a retry round).
        var wakeUp: (at: Date, task: Task<Void, Never>)?
        defer {
            ticker.cancel()
            watcher?.cancel()
            wakeUp?.task.cancel()
        }
        if watches { watcher = try startWatching(state.engine.config, on: executor) }
        logger.info("watching \(layout.root.path)")
        state.work(announcingReady: true)
        func scheduleWakeUp() {
            guard let at = state.engine.nextWakeUp(), at != wakeUp?.at else { return }
            wakeUp?.task.cancel()
            let delay = max(0, at.timeIntervalSince(state.engine.now()))
            wakeUp = (at, Task(executorPreference: executor) { [clock, continuation] in
                if (try? await clock.sleep(for: .milliseconds(Int64((delay * 1000).rounded(.up))))) != nil { continuation.yield(.tick) }
            })
        }
        scheduleWakeUp()
        for await event in events {
            if Task.isCancelled { break }
            switch event {
            case .dropSettled(let drop): state.settled[drop.url.standardizedFileURL] = drop.snapshot
            case .markerChanged: markerPending.lower()
            case .watcherNote(let line):
                logger.notice("\(line)")
                continue
            case .reloadConfig:
                if let restart = state.reload(from: layout.configFile), restart, watches {
                    watcher?.cancel()
                    do { watcher = try startWatching(state.engine.config, on: executor) } catch {
                        logger.error("\(error); \(layout.root.path) is not watched until the next reload")
                    }
                }
                state.work(announcingReady: true)
                continue
            case .controlRequest, .tick: break
            }
            state.work()
            scheduleWakeUp()
        }
    }

    /// Starts the drop detector with the config's watch settings; its events are posted to this loop.
    private func startWatching(_ config: SluiceConfig, on executor: ThreadExecutor) throws -> Task<Void, Never> {
        let force = config.watch.forcePolling
        // A library root has no downloads/.
        var drops = [layout.inbox, layout.reviewed, layout.downloads].filter { FileManager.default.fileExists(atPath: $0.path) }
            .map { WatchedDirectory($0, recursive: true, forcePolling: force) }
        for extra in config.downloads.extraDirectories {
            let url = URL(fileURLWithPath: (extra as NSString).expandingTildeInPath)
            if FileManager.default.fileExists(atPath: url.path) {
                drops.append(WatchedDirectory(url, recursive: false, forcePolling: force))
            } else {
                logger.warning("\(url.path) (downloads.extra_dirs) does not exist; not watched")
            }
        }
        let hints = [WatchedDirectory(layout.review, recursive: true, forcePolling: force), WatchedDirectory(layout.root, recursive: false, forcePolling: force)]
        let detector = try DropDetector(
            DropDetector.Configuration(
                directories: drops, hintOnlyDirectories: hints,
                settlePeriod: .milliseconds(config.watch.settleMilliseconds), filter: .sluiceDrops,
                pollInterval: .milliseconds(config.watch.pollIntervalMilliseconds)))
        for polled in detector.polledDirectories {
            logger.notice("\(polled.path): network file system or forced polling; polling every \(config.watch.pollIntervalMilliseconds) ms")
        }
        let loop = self
        return Task(executorPreference: executor) {
            for await event in detector.events {
                switch event {
                case .settled(let drop): loop.post(.dropSettled(drop))
                case .held(let directory, let entry, let reason): loop.post(.watcherNote("\(directory.path)/\(entry): waiting: \(reason)"))
                case .hint(.fellBackToPolling(let directory, let reason)): loop.post(.watcherNote("\(directory.path): \(reason); polling instead"))
                case .hint: loop.post(.markerChanged)
                }
            }
            detector.stop()
        }
    }
}

/// What the loop owns between events: the engine and the drops the watcher said had settled.
private struct LoopState {
    let engine: Engine
    let logger: Logger
    let readiness: ServiceReadiness
    var settled: [URL: EntrySnapshot] = [:]

    init(engine: Engine, logger: Logger, readiness: ServiceReadiness) {
        self.engine = engine
        self.logger = logger
        self.readiness = readiness
    }

    /// Everything that can progress now: requests, markers, drops, then steps until every job waits.
    /// - Parameter announcingReady: tells the service manager this root is ready once it is reconciled, before the
    ///   steps run (they may take longer than systemd's start timeout).
    mutating func work(announcingReady: Bool = false) {
        var reconciled = true
        do { try engine.reconcile(isSettled: isSettled) } catch {
            reconciled = false
            logger.error("\(engine.layout.root.path): \(error)")
        }
        if announcingReady { readiness.ready(engine.layout.root, summary: engine.summaryLine()) }
        if reconciled { engine.runUntilIdle() }
        readiness.update(engine.layout.root, summary: engine.summaryLine())
    }

    /// Settled when the watcher said so and nothing changed since.
    private func isSettled(_ url: URL) -> Bool {
        guard let snapshot = settled[url.standardizedFileURL] else { return false }
        return EntrySnapshot.take(url) == snapshot
    }

    /// Re-reads sluice.yaml and applies it; keeps the old config on error. Returns whether the watcher must restart,
    /// or nil when the config could not be read.
    func reload(from file: URL) -> Bool? {
        let config: SluiceConfig
        do { config = try SluiceConfig.load(from: file) } catch {
            logger.error("\(error) (keeping the previous config)")
            return nil
        }
        let old = engine.config
        let changes = ConfigSnapshot.changes(from: old, to: config)
        engine.apply(reloaded: config)
        logger.notice("\(file.path): reloaded; \(changes.isEmpty ? "nothing changed" : "changed " + changes.joined(separator: ", "))")
        return old.watch != config.watch || old.downloads.extraDirectories != config.downloads.extraDirectories
    }
}

/// A flag two tasks share: raised by the poster, lowered by the loop.
private final class PendingFlag: Sendable {
    private let raised = Mutex(false)

    /// Raises the flag; returns whether it was down (so the event must be posted).
    func raise() -> Bool { raised.withLock { was in defer { was = true }; return !was } }
    func lower() { raised.withLock { $0 = false } }
}
