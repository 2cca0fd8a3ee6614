import Foundation
import Synchronization
import SystemIO

/// What the service manager hears about all roots together (sd_notify, `ServiceNotification`): `READY=1` once every
/// root is watched and reconciled, `RELOADING=1` once per SIGHUP and `READY=1` again when every root has applied it,
/// and one `STATUS=` line summing the roots whenever it changes.
public final class ServiceReadiness: Sendable {
    private struct State {
        /// Roots that have not yet reported ready since the start or the last reload.
        var pending: Set<URL>
        /// Each root's last one-line summary.
        var summaries: [URL: String] = [:]
        /// The status line last sent.
        var sent = ""
    }

    private let roots: [URL]
    private let state: Mutex<State>

    public init(roots: [URL]) {
        self.roots = roots.map(\.standardizedFileURL)
        state = Mutex(State(pending: Set(self.roots)))
    }

    /// SIGHUP: tells the service manager a reload started; every root must report ready again.
    func reloading() {
        state.withLock { state in
            state.pending = Set(roots)
            ServiceNotification.reloading()
        }
    }

    /// `root` is watched and reconciled (at start or after a reload); the last one sends `READY=1`.
    func ready(_ root: URL, summary: String) {
        let root = root.standardizedFileURL
        state.withLock { state in
            state.summaries[root] = summary
            guard state.pending.remove(root) != nil, state.pending.isEmpty else { return }
            state.sent = line(state)
            // Sent under the lock, so READY never overtakes a RELOADING or STATUS sent from another root's thread.
            ServiceNotification.ready(status: state.sent)
        }
    }

    /// `root`'s summary now; a changed status line is sent once the service is ready.
    func update(_ root: URL, summary: String) {
        let root = root.standardizedFileURL
        state.withLock { state in
            state.summaries[root] = summary
            let current = line(state)
            guard state.pending.isEmpty, current != state.sent else { return }
            state.sent = current
            ServiceNotification.status(current)
        }
    }

    /// Every root's summary, in the order the roots were given.
    private func line(_ state: State) -> String {
        roots.compactMap { state.summaries[$0] }.joined(separator: "; ")
    }
}
