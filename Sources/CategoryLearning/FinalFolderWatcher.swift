import Foundation
import SystemIO

/// Watches `final/` and its category folders with inotify and turns the user's moves into corrections.
///
/// Moves are paired by cookie (`MovePairer`); new folders are watched as they appear and scanned, so a move into
/// a folder made a moment earlier is not missed; a sidecar left behind follows its image after a short grace (the
/// user may be moving it in the same `mv`); when the kernel's queue overflows, final/ is compared by content hash.
public final class FinalFolderWatcher: @unchecked Sendable {
    // Safe as @unchecked Sendable: the watch map, the pairer and the pending sidecars are touched only by the loop thread
    // (and by `start()` before that thread exists); other threads only call `stop()`, which takes `stopLock`.
    public static let maximumDepth = 32
    public static let maximumFolders = 100_000

    private let recorder: CorrectionRecorder
    private let inotify: Inotify
    private let sidecarGrace: Double
    private var folders: [Inotify.Watch: String] = [:]
    private var pairer = MovePairer()
    private var pendingSidecars: [(deadline: Double, old: String, new: String)] = []
    private let stopLock = NSLock()
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    private var running = false

    private static let mask: Inotify.Mask = [.movedFrom, .movedTo, .create, .onlyDirectory, .doNotFollow]

    public init(recorder: CorrectionRecorder, sidecarGrace: Double = 0.3) throws {
        self.recorder = recorder
        self.sidecarGrace = sidecarGrace
        inotify = try Inotify()
    }

    /// Watches every folder under `final/` (no symlinks followed), then handles events on a thread of its own.
    /// - Parameter first: runs on that thread once the watches exist and before any event is handled (the start-up
    ///   reconcile: a move made while it runs is queued by the kernel, not missed, and handled after it).
    public func start(first: (@Sendable () -> Void)? = nil) throws {
        try addTree("")
        running = true
        let thread = Thread { [self] in
            first?()
            loop()
            finished.signal()
        }
        thread.name = "sluice-final-watcher"
        thread.start()
    }

    /// Stops the loop and waits for it to end (moves already queued are handled first).
    public func stop() {
        guard running else { return }
        stopLock.withLock { stopping = true }
        inotify.wake()
        finished.wait()
        running = false
    }

    /// Whether `stop()` was called: long work on the watcher's thread (the start-up reconcile) ends early.
    public var isStopping: Bool { stopLock.withLock { stopping } }

    private func loop() {
        while true {
            let now = ProcessInfo.processInfo.systemUptime
            let deadlines = [pairer.nextDeadline, pendingSidecars.map(\.deadline).min()].compactMap { $0 }
            let timeout = deadlines.min().map { Int32(max(0, min(($0 - now) * 1000 + 1, 60_000))) }
            do {
                let result = try inotify.wait(timeoutMilliseconds: timeout)
                for event in try inotify.readEvents() { handle(event) }
                if result == .woken && isStopping { break }
            } catch {
                recorder.log("learning: the final/ watcher stopped: \(error)")
                return
            }
            settleTimers(now: ProcessInfo.processInfo.systemUptime)
        }
        settleTimers(now: .infinity)
    }

    private func handle(_ event: Inotify.Event) {
        if event.mask.contains(.queueOverflow) {
            resynchronize()
            return
        }
        guard let folder = folders[event.watch] else { return }
        if event.mask.contains(.ignored) {
            folders.removeValue(forKey: event.watch)
            return
        }
        let path = folder.isEmpty ? event.name : folder + "/" + event.name
        let isDirectory = event.mask.contains(.isDirectory)
        if isDirectory && event.name.hasPrefix(".") { return }
        let now = ProcessInfo.processInfo.systemUptime
        do {
            if event.mask.contains(.create) && isDirectory {
                try addTree(path)
                try scan(path)
            } else if event.mask.contains(.movedFrom) {
                pairer.movedFrom(cookie: event.cookie, path: path, isDirectory: isDirectory, now: now)
            } else if event.mask.contains(.movedTo) {
                let move = pairer.movedTo(cookie: event.cookie, path: path, isDirectory: isDirectory)
                if isDirectory {
                    if let from = move.from {
                        renameFolders(from: from, to: path)
                        try recorder.folderMoved(from: from, to: path)
                    } else {
                        try addTree(path)
                        try scan(path)
                    }
                } else if let outcome = try recorder.imageMoved(from: move.from, to: path) {
                    pendingSidecars.append((now + sidecarGrace, outcome.previousPath, path))
                }
            }
        } catch {
            recorder.log("learning: could not record the move of \(path): \(error)")
        }
    }

    /// Moves out of `final/` whose second half never came, and sidecars whose grace has passed.
    private func settleTimers(now: Double) {
        for move in pairer.expire(now: now) {
            guard let from = move.from else { continue }
            if move.isDirectory {
                for (watch, folder) in folders where folder == from || folder.hasPrefix(from + "/") {
                    inotify.removeWatch(watch)
                    folders.removeValue(forKey: watch)
                }
            }
            recorder.log("learning: \(from) left final/; nothing learned")
        }
        let due = pendingSidecars.filter { $0.deadline <= now }
        pendingSidecars.removeAll { $0.deadline <= now }
        for sidecar in due { recorder.moveSidecar(image: sidecar.old, now: sidecar.new) }
    }

    /// After the kernel dropped events (its queue overflowed): watches the folders made meanwhile (and fixes the paths
    /// of renamed ones), then finds the moves by content hash as the start-up does.
    private func resynchronize() {
        recorder.log("learning: inotify queue overflowed; comparing final/ with what Sluice placed instead")
        do {
            try addTree("")
            let learned = try StartupReconciler(recorder: recorder).reconcile(manifests: [])
            recorder.log("learning: \(learned.count) move(s) found after the overflow")
        } catch {
            recorder.log("learning: final/ could not be compared after the overflow (moves made just now are learned at the next start): \(error)")
        }
    }

    /// Watches `path` (relative to `final/`) and every folder under it, not following symlinks, within the caps.
    private func addTree(_ path: String) throws {
        var queue: [(String, Int)] = [(path, 0)]
        while let (folder, depth) = queue.popLast() {
            guard folders.count < Self.maximumFolders else {
                recorder.log("learning: more than \(Self.maximumFolders) folders under final/; the rest are not watched")
                return
            }
            let absolute = recorder.finalFolder + (folder.isEmpty ? "" : "/" + folder)
            let watch: Inotify.Watch
            do { watch = try inotify.addWatch(path: absolute, mask: Self.mask) } catch {
                if case .watchLimitReached = error { throw error }
                continue
            }
            folders[watch] = folder
            guard depth < Self.maximumDepth else { continue }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? [] where !name.hasPrefix(".") {
                var info = stat()
                if lstat(absolute + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                    queue.append((folder.isEmpty ? name : folder + "/" + name, depth + 1))
                }
            }
        }
    }

    /// Images already inside a folder that just appeared: moved in before its watch existed.
    private func scan(_ path: String) throws {
        let absolute = recorder.finalFolder + "/" + path
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []).sorted()
        where CorrectionRecorder.isImageName(name) {
            if let outcome = try recorder.imageMoved(from: nil, to: path + "/" + name) {
                pendingSidecars.append((ProcessInfo.processInfo.systemUptime + sidecarGrace, outcome.previousPath, path + "/" + name))
            }
        }
    }

    /// A watched folder renamed inside `final/`: its watches keep working, only their paths change.
    private func renameFolders(from: String, to: String) {
        for (watch, folder) in folders where folder == from || folder.hasPrefix(from + "/") {
            folders[watch] = to + folder.dropFirst(from.count)
        }
    }
}
