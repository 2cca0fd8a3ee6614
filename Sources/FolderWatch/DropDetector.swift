import Foundation
import SystemIO

/// Turns a `FolderWatcher`'s hints into settled drops: top-level entries that are quiet, unchanged and complete.
///
/// It scans every drop directory at start and again after a rescan hint or a poll tick, so a drop present
/// before start, lost in a queue overflow, or on a network file system is found all the same. Every raw hint
/// is passed on too, for marker files (RESUME, PAUSE) that need no settling.
public final class DropDetector: Sendable {
    public struct Configuration: Sendable {
        /// Directories whose top-level entries are drops (inbox/, downloads/, reviewed/).
        public var directories: [WatchedDirectory]
        /// Directories watched only for hints (review/ for RESUME, the root for PAUSE).
        public var hintOnlyDirectories: [WatchedDirectory]
        public var settlePeriod: Duration
        public var filter: DropFilter
        public var coalescingInterval: Duration
        public var pollInterval: Duration

        public init(
            directories: [WatchedDirectory], hintOnlyDirectories: [WatchedDirectory] = [],
            settlePeriod: Duration = .seconds(2), filter: DropFilter = DropFilter(),
            coalescingInterval: Duration = .milliseconds(50), pollInterval: Duration = .seconds(2)
        ) {
            self.directories = directories
            self.hintOnlyDirectories = hintOnlyDirectories
            self.settlePeriod = settlePeriod
            self.filter = filter
            self.coalescingInterval = coalescingInterval
            self.pollInterval = pollInterval
        }
    }

    /// What the detector reports.
    public enum Event: Equatable, Sendable {
        /// An entry settled and counts: act on it.
        case settled(SettledDrop)
        /// An entry settled but does not count yet (temporary names, a `.part` twin, an incomplete file).
        case held(directory: URL, entry: String, reason: String)
        /// A raw hint from the watcher, passed on unchanged.
        case hint(FolderWatcher.Hint)
    }

    /// Settled drops, held entries and raw hints, in order; one consumer.
    public let events: AsyncStream<Event>
    /// The directories polled rather than watched with inotify.
    public var polledDirectories: [URL] { watcher.polledDirectories }
    private let watcher: FolderWatcher
    private let worker: Task<Void, Never>

    /// Adds every watch, then scans the drop directories and starts reporting.
    /// - Throws: `Inotify.Failure` when a watch cannot be added (its message names the sysctl to raise).
    public init(_ configuration: Configuration) throws(Inotify.Failure) {
        let watcher = try FolderWatcher(
            FolderWatcher.Configuration(
                directories: configuration.directories + configuration.hintOnlyDirectories,
                coalescingInterval: configuration.coalescingInterval, pollInterval: configuration.pollInterval))
        let (events, output) = AsyncStream<Event>.makeStream(bufferingPolicy: .unbounded)
        output.onTermination = { [watcher] _ in watcher.stop() }
        self.watcher = watcher
        self.events = events
        self.worker = Task {
            var core = DetectorCore(configuration: configuration, output: output)
            await core.run(hints: watcher.hints)
            output.finish()
        }
    }

    deinit { stop() }

    /// Stops watching; `events` finishes shortly after.
    public func stop() {
        watcher.stop()
    }
}

/// The detector's loop: hints and timer ticks in, tracker actions out. Runs in one task, so it needs no locks.
private struct DetectorCore {
    /// A drop directory's index and an entry name: cheaper to hash than a URL, with thousands of entries.
    private struct Key: Hashable, Sendable {
        let directory: Int
        let entry: String
    }

    private enum Input: Sendable {
        case hint(FolderWatcher.Hint)
        case tick
    }

    private let configuration: DropDetector.Configuration
    private let directories: [URL]
    private let directoryIndex: [URL: Int]
    private let output: AsyncStream<DropDetector.Event>.Continuation
    private var tracker: SettleTracker<Key, ContinuousClock.Instant>
    private var timer: Task<Void, Never>?
    private var timerDeadline: ContinuousClock.Instant?
    /// File system reads happen here, so a slow (network) file system never blocks the cooperative thread pool.
    private let files = DispatchQueue(label: "sluice.drop-detector.files")

    init(configuration: DropDetector.Configuration, output: AsyncStream<DropDetector.Event>.Continuation) {
        self.configuration = configuration
        self.directories = configuration.directories.map(\.url)
        self.directoryIndex = Dictionary(directories.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        self.output = output
        self.tracker = SettleTracker(settlePeriod: configuration.settlePeriod)
    }

    mutating func run(hints: AsyncStream<FolderWatcher.Hint>) async {
        let (inputs, input) = AsyncStream<Input>.makeStream(bufferingPolicy: .unbounded)
        let forwarder = Task {
            for await hint in hints { input.yield(.hint(hint)) }
            input.finish()
        }
        for index in directories.indices { await reconcile(index) }
        schedule(tracker.nextDeadline, input: input)
        for await next in inputs {
            switch next {
            case .hint(let hint):
                output.yield(.hint(hint))
                await handle(hint)
            case .tick:
                timerDeadline = nil
                timer = nil
                await look(at: tracker.event(.tick, at: .now).look)
            }
            schedule(tracker.nextDeadline, input: input)
        }
        timer?.cancel()
        forwarder.cancel()
    }

    private mutating func handle(_ hint: FolderWatcher.Hint) async {
        switch hint {
        case .changed(let directory, let entry):
            guard let index = directoryIndex[directory] else { return }
            if !configuration.filter.isIgnored(name: entry) {
                _ = tracker.event(.activity(Key(directory: index, entry: entry)), at: .now)
            } else if let twin = configuration.filter.nameWithoutTemporarySuffix(entry),
                tracker.isTracked(Key(directory: index, entry: twin))
            {
                // A `.part` twin renamed or deleted may be what its held, empty twin was waiting for.
                _ = tracker.event(.activity(Key(directory: index, entry: twin)), at: .now)
            }
        case .rescan(let directory), .poll(let directory):
            guard let index = directoryIndex[directory] else { return }
            await reconcile(index)
        case .fellBackToPolling:
            break  // Poll ticks follow.
        }
    }

    /// Looks at every entry of `directory`: new ones start settling, changed ones restart, vanished ones are dropped.
    private mutating func reconcile(_ index: Int) async {
        let path = directories[index].path
        let names = await offload { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }
        let present = Set(names.filter { !configuration.filter.isIgnored(name: $0) })
        for key in tracker.trackedKeys where key.directory == index && !present.contains(key.entry) {
            _ = tracker.event(.forget(key), at: .now)
        }
        await look(at: present.sorted().map { Key(directory: index, entry: $0) })
    }

    /// Snapshots the entries, feeds the tracker, and reports what settled (after the filter's verdict).
    private mutating func look(at keys: [Key]) async {
        guard !keys.isEmpty else { return }
        let urls = keys.map { directories[$0.directory].appendingPathComponent($0.entry) }
        let looks = await offload {
            urls.map { url in
                let startedAt = ContinuousClock.now
                return (startedAt, EntrySnapshot.take(url))
            }
        }
        var settled: [(Key, EntrySnapshot)] = []
        for (key, (startedAt, snapshot)) in zip(keys, looks) {
            let action = tracker.event(.looked(key, snapshot), at: startedAt)
            settled += action.settled.map { ($0.key, $0.snapshot) }
        }
        guard !settled.isEmpty else { return }
        let filter = configuration.filter
        let candidates = settled.map { (directory: directories[$0.0.directory], entry: $0.0.entry, snapshot: $0.1) }
        let reasons = await offload {
            candidates.map { filter.blockingReason(directory: $0.directory, name: $0.entry, snapshot: $0.snapshot) }
        }
        for (key, (candidate, reason)) in zip(settled.map(\.0), zip(candidates, reasons)) {
            if let reason {
                _ = tracker.event(.held(key), at: .now)
                output.yield(.held(directory: candidate.directory, entry: candidate.entry, reason: reason))
            } else {
                output.yield(
                    .settled(SettledDrop(directory: candidate.directory, entry: candidate.entry, snapshot: candidate.snapshot)))
            }
        }
    }

    private func offload<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            files.async { continuation.resume(returning: body()) }
        }
    }

    /// Arms the timer for `deadline` unless one already fires earlier (a spare tick finds nothing due and re-arms).
    private mutating func schedule(_ deadline: ContinuousClock.Instant?, input: AsyncStream<Input>.Continuation) {
        guard let deadline else { return }
        if let timerDeadline, timerDeadline <= deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        timer = Task {
            try? await Task.sleep(until: deadline, tolerance: .milliseconds(2), clock: .continuous)
            if !Task.isCancelled { input.yield(.tick) }
        }
    }
}
