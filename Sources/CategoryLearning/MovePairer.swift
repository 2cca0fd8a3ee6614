/// Pairs inotify's `IN_MOVED_FROM` and `IN_MOVED_TO` halves by cookie (pure; the watcher feeds it events and time).
///
/// A move inside the watched tree arrives as both halves with one cookie; a move out of it only as the first half
/// (which expires after `timeout`), a move into it only as the second.
public struct MovePairer: Sendable {
    /// One move as the watcher understands it; `from` or `to` is nil when that side is outside the watched tree.
    public struct Move: Equatable, Sendable {
        public var from: String?
        public var to: String?
        public var isDirectory: Bool
    }

    private struct Pending: Sendable {
        var path: String
        var isDirectory: Bool
        var deadline: Double
    }

    public let timeout: Double
    private var pending: [UInt32: Pending] = [:]

    /// `timeout` in seconds; the kernel queues both halves together, so a fraction of a second is plenty.
    public init(timeout: Double = 0.5) {
        self.timeout = timeout
    }

    /// The first half of a move at monotonic time `now` (seconds).
    public mutating func movedFrom(cookie: UInt32, path: String, isDirectory: Bool, now: Double) {
        pending[cookie] = Pending(path: path, isDirectory: isDirectory, deadline: now + timeout)
    }

    /// The second half: the completed move (from nil when its first half was outside the tree or expired).
    public mutating func movedTo(cookie: UInt32, path: String, isDirectory: Bool) -> Move {
        let from = pending.removeValue(forKey: cookie)
        return Move(from: from?.path, to: path, isDirectory: isDirectory)
    }

    /// First halves whose second half never came by `now`: things moved out of the tree.
    public mutating func expire(now: Double) -> [Move] {
        let expired = pending.filter { $0.value.deadline <= now }
        for cookie in expired.keys { pending.removeValue(forKey: cookie) }
        return expired.values.sorted { $0.path < $1.path }.map { Move(from: $0.path, to: nil, isDirectory: $0.isDirectory) }
    }

    /// The earliest deadline still waiting, so the watcher knows how long it may block.
    public var nextDeadline: Double? { pending.values.map(\.deadline).min() }
}
