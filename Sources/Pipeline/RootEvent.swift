import FolderWatch
import Foundation

/// Something a root's event loop acts on. The watcher, the signal reader and the timer only post these; the loop
/// alone touches the engine.
public enum RootEvent: Sendable {
    /// A drop in inbox/, reviewed/ or downloads/ settled.
    case dropSettled(SettledDrop)
    /// Something changed where markers live (RESUME, PAUSE, a move to reviewed/).
    case markerChanged
    /// A control request was queued (`sluice pause|resume|stop|retry`, SIGUSR1).
    case controlRequest
    /// Re-read sluice.yaml (SIGHUP).
    case reloadConfig
    /// The periodic look (timeouts, anything a lost hint missed).
    case tick
    /// A line from the watcher for the log (a held entry, a fallback to polling).
    case watcherNote(String)
}

extension RootEvent {
    /// An entry that counts as settled as it stands now, for callers that watch nothing themselves.
    public static func settled(_ url: URL) -> RootEvent? {
        EntrySnapshot.take(url).map {
            .dropSettled(SettledDrop(directory: url.deletingLastPathComponent(), entry: url.lastPathComponent, snapshot: $0))
        }
    }
}
