import Foundation

/// A directory to watch, and how: recursively or only its own entries, with inotify or by polling.
public struct WatchedDirectory: Hashable, Sendable {
    public let url: URL
    /// Whether subdirectories (and their subdirectories, as they appear) are watched too.
    public var isRecursive: Bool
    /// Poll even on a local file system (the config's override); network file systems are always polled.
    public var forcePolling: Bool

    public init(_ url: URL, recursive: Bool = true, forcePolling: Bool = false) {
        self.url = url.standardizedFileURL
        self.isRecursive = recursive
        self.forcePolling = forcePolling
    }
}
