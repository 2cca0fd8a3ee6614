import Foundation
import Synchronization
import SystemIO

/// The watching thread's state: watch descriptors and their paths, pending hints, poll and retry deadlines.
///
/// Set up on the caller's thread in `init`, then touched only by the watching thread in `run()`;
/// `requestStop()` is the one method other threads call.
final class WatchLoop: @unchecked Sendable {
    // Safe: one thread at a time owns the state (the caller's in `init`, then the watching thread's in `run()`);
    // `requestStop()`, the one call from other threads, only sets an atomic flag and wakes the poll.
    /// A watched directory, as its root's index and its path relative to that root ("" for the root).
    private struct Location: Hashable {
        let root: Int
        let relative: String
    }

    private enum Mode {
        case inotify
        case polling(next: ContinuousClock.Instant)
        /// The root's own watch is gone (deleted, moved, unmounted); retried at `retry`.
        case lost(retry: ContinuousClock.Instant)
    }

    private static let directoryMask: Inotify.Mask = [
        .create, .closeWrite, .movedTo, .movedFrom, .delete, .deleteSelf, .moveSelf, .modify, .attributes,
        .onlyDirectory, .doNotFollow, .excludeUnlinked,
    ]

    private let inotify: Inotify
    private let roots: [WatchedDirectory]
    private let coalescingInterval: Duration
    private let pollInterval: Duration
    private let continuation: AsyncStream<FolderWatcher.Hint>.Continuation
    private let stopping = Atomic<Bool>(false)
    private let clock = ContinuousClock()

    private var modes: [Mode]
    private var locations: [Inotify.Watch: Location] = [:]
    private var watches: [Location: Inotify.Watch] = [:]
    private var pending: [FolderWatcher.Hint] = []
    private var pendingSet: Set<FolderWatcher.Hint> = []
    private var flushAt: ContinuousClock.Instant?

    let polledDirectories: [URL]

    init(configuration: FolderWatcher.Configuration, continuation: AsyncStream<FolderWatcher.Hint>.Continuation)
        throws(Inotify.Failure)
    {
        inotify = try Inotify()
        roots = configuration.directories
        coalescingInterval = configuration.coalescingInterval
        pollInterval = configuration.pollInterval
        self.continuation = continuation
        let now = ContinuousClock.now
        modes = roots.map { root in
            let polled = root.forcePolling || FileSystemKind.of(path: root.url.path) != .local
            return polled ? .polling(next: now) : .inotify
        }
        polledDirectories = zip(roots, modes).compactMap { root, mode in
            if case .polling = mode { return root.url }
            return nil
        }
        for index in roots.indices {
            guard case .inotify = modes[index] else { continue }
            try watchTree(root: index, relative: "")
        }
    }

    func requestStop() {
        stopping.store(true, ordering: .releasing)
        inotify.wake()
    }

    /// The thread body: wait in poll(2) until events, a deadline or a stop request; idle costs nothing.
    func run() {
        defer { continuation.finish() }
        while !stopping.load(ordering: .acquiring) {
            do {
                if try inotify.wait(timeoutMilliseconds: timeoutMilliseconds()) == .readable {
                    handle(try inotify.readEvents())
                }
            } catch {
                fallBackToPollingEverywhere(reason: error.description)
                // Should the failure persist, this keeps the loop from spinning while polling still works.
                usleep(100_000)
            }
            performDueWork()
        }
    }

    // MARK: - Deadlines

    private func timeoutMilliseconds() -> Int32? {
        var deadlines: [ContinuousClock.Instant] = []
        if let flushAt { deadlines.append(flushAt) }
        for mode in modes {
            switch mode {
            case .inotify: break
            case .polling(let next): deadlines.append(next)
            case .lost(let retry): deadlines.append(retry)
            }
        }
        guard let earliest = deadlines.min() else { return nil }
        let remaining = clock.now.duration(to: earliest)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        // Round up so the wait never returns just before its deadline and spins.
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }

    private func performDueWork() {
        let now = clock.now
        for index in roots.indices {
            switch modes[index] {
            case .inotify:
                break
            case .polling(let next) where next <= now:
                modes[index] = .polling(next: now.advanced(by: pollInterval))
                enqueue(.poll(directory: roots[index].url))
            case .lost(let retry) where retry <= now:
                restoreLostRoot(index, now: now)
            default:
                break
            }
        }
        if let flushAt, flushAt <= now { flush() }
    }

    private func enqueue(_ hint: FolderWatcher.Hint) {
        guard pendingSet.insert(hint).inserted else { return }
        pending.append(hint)
        if flushAt == nil { flushAt = clock.now.advanced(by: coalescingInterval) }
    }

    private func flush() {
        // Rescans first: they cover any entry hint for the same directory.
        let ordered = pending.filter { if case .changed = $0 { false } else { true } }
            + pending.filter { if case .changed = $0 { true } else { false } }
        for hint in ordered { continuation.yield(hint) }
        pending.removeAll(keepingCapacity: true)
        pendingSet.removeAll(keepingCapacity: true)
        flushAt = nil
    }

    // MARK: - Events

    private func handle(_ events: [Inotify.Event]) {
        for event in events {
            if event.mask.contains(.queueOverflow) {
                for index in roots.indices { rescanAfterOverflow(index) }
                continue
            }
            guard let location = locations[event.watch] else { continue }
            let root = roots[location.root]
            if event.mask.contains(.ignored) {
                forget(event.watch)
                if location.relative.isEmpty { rootLost(location.root) }
                continue
            }
            if event.mask.contains(.moveSelf) && location.relative.isEmpty {
                // The root itself moved away: its watch now follows a directory elsewhere.
                unwatchTree(root: location.root, relative: "")
                rootLost(location.root)
                continue
            }
            guard !event.name.isEmpty else { continue }
            let childRelative = location.relative.isEmpty ? event.name : location.relative + "/" + event.name
            if event.mask.contains(.isDirectory) && root.isRecursive {
                if event.mask.contains(.movedFrom) {
                    unwatchTree(root: location.root, relative: childRelative)
                } else if !event.mask.isDisjoint(with: [.create, .movedTo]) {
                    do {
                        try watchTree(root: location.root, relative: childRelative)
                    } catch {
                        fallBackToPolling(location.root, reason: error.description)
                        continue
                    }
                }
            }
            let topLevel = String(childRelative.prefix { $0 != "/" })
            enqueue(.changed(directory: root.url, topLevelEntry: topLevel))
        }
    }

    private func rescanAfterOverflow(_ index: Int) {
        guard case .inotify = modes[index] else { return }
        enqueue(.rescan(directory: roots[index].url))
        // Directories created while events were lost have no watch yet.
        do { try watchTree(root: index, relative: "") } catch { fallBackToPolling(index, reason: error.description) }
    }

    private func rootLost(_ index: Int) {
        guard case .inotify = modes[index] else { return }
        unwatchTree(root: index, relative: "")
        modes[index] = .lost(retry: clock.now.advanced(by: pollInterval))
        enqueue(.rescan(directory: roots[index].url))
    }

    private func restoreLostRoot(_ index: Int, now: ContinuousClock.Instant) {
        do {
            try watchTree(root: index, relative: "")
            modes[index] = .inotify
            enqueue(.rescan(directory: roots[index].url))
        } catch {
            unwatchTree(root: index, relative: "")
            modes[index] = .lost(retry: now.advanced(by: pollInterval))
        }
    }

    private func fallBackToPolling(_ index: Int, reason: String) {
        if case .polling = modes[index] { return }
        unwatchTree(root: index, relative: "")
        modes[index] = .polling(next: clock.now)
        enqueue(.fellBackToPolling(directory: roots[index].url, reason: reason))
    }

    private func fallBackToPollingEverywhere(reason: String) {
        for index in roots.indices { fallBackToPolling(index, reason: reason) }
    }

    // MARK: - Watches

    /// Watches `relative` under a root and, for a recursive root, every directory below it.
    private func watchTree(root index: Int, relative: String) throws(Inotify.Failure) {
        let root = roots[index]
        let path = relative.isEmpty ? root.url.path : root.url.path + "/" + relative
        let watch: Inotify.Watch
        do {
            watch = try inotify.addWatch(path: path, mask: Self.directoryMask)
        } catch .system(let error) where relative != "" && [ENOENT, ENOTDIR].contains(error.errno) {
            return  // Gone or replaced before we got to it; the parent's events tell the rest.
        }
        let location = Location(root: index, relative: relative)
        if let previous = watches[location], previous != watch { locations[previous] = nil }
        locations[watch] = location
        watches[location] = watch
        guard root.isRecursive, let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        for name in names {
            var info = stat()
            guard lstat(path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
            try watchTree(root: index, relative: relative.isEmpty ? name : relative + "/" + name)
        }
    }

    /// Removes the watches on `relative` and everything below it (all of a root's watches for "").
    private func unwatchTree(root index: Int, relative: String) {
        let doomed = watches.filter { location, _ in
            location.root == index
                && (relative.isEmpty || location.relative == relative || location.relative.hasPrefix(relative + "/"))
        }
        for (location, watch) in doomed {
            inotify.removeWatch(watch)
            watches[location] = nil
            locations[watch] = nil
        }
    }

    private func forget(_ watch: Inotify.Watch) {
        guard let location = locations.removeValue(forKey: watch) else { return }
        if watches[location] == watch { watches[location] = nil }
    }
}
