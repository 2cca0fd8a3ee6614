import Configuration
import FolderWatch
import Foundation
import Jobs
import SystemIO

/// One watched root: its lock, its engine on a worker thread, and the drop detector that wakes it.
final class RootService: @unchecked Sendable {
    let layout: RootLayout
    let engine: Engine
    private let lock: FileLock
    private let wakeSignal = WakeSignal()
    private let stateLock = NSLock()
    private var settled: [URL: EntrySnapshot] = [:]
    private var stopping = false
    private var detector: DropDetector?
    private var listener: Task<Void, Never>?
    private let finished = DispatchSemaphore(value: 0)
    private let output: @Sendable (String) -> Void

    init(layout: RootLayout, lock: FileLock, engine: Engine, output: @escaping @Sendable (String) -> Void) {
        self.layout = layout
        self.lock = lock
        self.engine = engine
        self.output = output
    }

    var isStopping: Bool {
        stateLock.lock()
        defer { stateLock.unlock() }
        return stopping
    }

    /// Starts watching and the worker thread.
    func start() throws {
        let config = engine.config
        let force = config.watch.forcePolling
        var drops = [layout.inbox, layout.reviewed, layout.downloads].map { WatchedDirectory($0, recursive: true, forcePolling: force) }
        for extra in config.downloads.extraDirectories {
            let url = URL(fileURLWithPath: (extra as NSString).expandingTildeInPath)
            if FileManager.default.fileExists(atPath: url.path) {
                drops.append(WatchedDirectory(url, recursive: false, forcePolling: force))
            } else {
                output("\(url.path) (downloads.extra_dirs) does not exist; not watched")
            }
        }
        let hints = [WatchedDirectory(layout.review, recursive: true, forcePolling: force), WatchedDirectory(layout.root, recursive: false, forcePolling: force)]
        let detector = try DropDetector(
            DropDetector.Configuration(
                directories: drops, hintOnlyDirectories: hints,
                settlePeriod: .milliseconds(config.watch.settleMilliseconds), filter: .sluiceDrops,
                pollInterval: .milliseconds(config.watch.pollIntervalMilliseconds)))
        for polled in detector.polledDirectories { output("\(polled.path): network file system or forced polling; polling every \(config.watch.pollIntervalMilliseconds) ms") }
        self.detector = detector
        listener = Task { [weak self] in
            for await event in detector.events {
                guard let self else { return }
                switch event {
                case .settled(let drop):
                    self.remember(drop)
                case .held(let directory, let entry, let reason):
                    self.output("\(directory.path)/\(entry): waiting: \(reason)")
                case .hint(.fellBackToPolling(let directory, let reason)):
                    self.output("\(directory.path): \(reason); polling instead")
                case .hint:
                    break
                }
                self.wakeSignal.wake()
            }
        }
        let thread = Thread { [self] in work() }
        thread.name = "sluice-engine"
        thread.start()
    }

    func wake() { wakeSignal.wake() }

    private func remember(_ drop: SettledDrop) {
        stateLock.withLock { settled[drop.url.standardizedFileURL] = drop.snapshot }
    }

    func reloadConfig() {
        do {
            let config = try SluiceConfig.load(from: layout.configFile)
            engine.replaceConfig(config)
            output("\(layout.configFile.path): reloaded")
        } catch {
            output("\(error) (keeping the previous config)")
        }
        wake()
    }

    /// Asks the worker to stop at its next checkpoint and waits for it; job state is already on disk.
    func stop() {
        stateLock.lock()
        stopping = true
        stateLock.unlock()
        detector?.stop()
        listener?.cancel()
        wakeSignal.wake()
        finished.wait()
    }

    private func work() {
        while !isStopping {
            do {
                try engine.reconcile(isSettled: isSettled)
                engine.runUntilIdle()
            } catch {
                output("\(layout.root.path): \(error)")
            }
            if isStopping { break }
            wakeSignal.wait(timeout: 60)
        }
        finished.signal()
    }

    /// Settled when the detector said so and nothing changed since.
    private func isSettled(_ url: URL) -> Bool {
        stateLock.lock()
        let snapshot = settled[url.standardizedFileURL]
        stateLock.unlock()
        guard let snapshot else { return false }
        return EntrySnapshot.take(url) == snapshot
    }
}
