import Foundation
import SystemIO

/// Watches directories with inotify (or by polling on network file systems) and delivers coalesced hints.
///
/// Hints say where to look, never what happened: the folders are the truth, so a consumer rescans what a hint
/// names. Keep the watcher alive while reading `hints`; it stops on `stop()`, on deinit, or when the consumer
/// stops iterating. Watches are added before `init` returns, so nothing done afterwards goes unseen.
public final class FolderWatcher: Sendable {
    /// Where to look again.
    public enum Hint: Hashable, Sendable {
        /// Something happened under the top-level entry `topLevelEntry` of `directory`.
        case changed(directory: URL, topLevelEntry: String)
        /// Events were lost (queue overflow) or the directory's watch was lost and restored: scan all of it.
        case rescan(directory: URL)
        /// A polled directory's periodic tick: inotify cannot see its changes, so scan it.
        case poll(directory: URL)
        /// inotify could not keep watching `directory` (for example the watch limit); it is polled from now on.
        case fellBackToPolling(directory: URL, reason: String)
    }

    public struct Configuration: Sendable {
        public var directories: [WatchedDirectory]
        /// Events arriving within this interval become one batch of hints.
        public var coalescingInterval: Duration
        /// How often polled directories get a `.poll` tick (and lost watches are retried).
        public var pollInterval: Duration

        public init(
            directories: [WatchedDirectory], coalescingInterval: Duration = .milliseconds(50),
            pollInterval: Duration = .seconds(2)
        ) {
            self.directories = directories
            self.coalescingInterval = coalescingInterval
            self.pollInterval = pollInterval
        }
    }

    /// The hints, in order; one consumer.
    public let hints: AsyncStream<Hint>
    /// The directories watched by polling (network file systems and forced ones) at start.
    public let polledDirectories: [URL]
    private let loop: WatchLoop

    /// Adds every watch now, then starts the watching thread.
    /// - Throws: `Inotify.Failure` when inotify cannot start or a watch cannot be added (its message names the sysctl).
    public init(_ configuration: Configuration) throws(Inotify.Failure) {
        let (stream, continuation) = AsyncStream<Hint>.makeStream(bufferingPolicy: .unbounded)
        let loop = try WatchLoop(configuration: configuration, continuation: continuation)
        continuation.onTermination = { [loop] _ in loop.requestStop() }
        self.hints = stream
        self.loop = loop
        self.polledDirectories = loop.polledDirectories
        let thread = Thread {
            // Named from inside: Foundation on Linux does not name a thread that has not started yet.
            Thread.current.name = "sluice-watch"
            loop.run()
        }
        thread.start()
    }

    deinit { loop.requestStop() }

    /// Stops watching and finishes `hints`; safe to call more than once and from any thread.
    public func stop() { loop.requestStop() }
}
