/// Decides, from events and snapshots fed to it with the time, when each entry has settled; it never sleeps or reads files.
///
/// An entry is settled when it saw no activity for `settlePeriod` and two looks (snapshots) taken at least
/// `settlePeriod` apart are equal. The first look is asked for shortly after activity stops (`firstLookDelay`),
/// so an entry settles about `settlePeriod + firstLookDelay` after its last write. Like hummingbird's connection
/// state machine, the caller performs the returned `Action` (take the looks, report the settled entries, wake at
/// the deadline) and feeds the results back as events.
public struct SettleTracker<Key: Hashable & Sendable, Instant: InstantProtocol & Sendable>: Sendable
where Instant.Duration == Duration {
    /// Something the caller observed.
    public enum Event: Sendable {
        /// Activity under the entry (an inotify hint): it is not quiet.
        case activity(Key)
        /// A snapshot of the entry the caller took at the given time; nil when the entry no longer exists.
        case looked(Key, EntrySnapshot?)
        /// A deadline passed (or the caller just wants to know what is due).
        case tick
        /// Stop tracking the entry (the caller took it over or it went away).
        case forget(Key)
        /// The caller did not act on the entry that just settled (it is not complete yet): report it when it next settles.
        case held(Key)
    }

    /// An entry that settled, with the snapshot it settled at.
    public struct Settled: Equatable, Sendable {
        public let key: Key
        public let snapshot: EntrySnapshot
    }

    /// What the caller should do now.
    public struct Action: Equatable, Sendable {
        /// Take a snapshot of each of these now and feed it back as `.looked`.
        public var look: [Key] = []
        /// Entries that just settled; each content is reported once (activity that changes nothing reports nothing).
        public var settled: [Settled] = []
        /// When to send the next `.tick`; nil when nothing is pending.
        public var wakeAt: Instant?
    }

    private struct Look: Sendable {
        let snapshot: EntrySnapshot
        let at: Instant
    }

    private struct EntryState: Sendable {
        var lastActivity: Instant
        /// The earliest look equal to the entry's current state, taken after its last activity.
        var baseline: Look?
        /// Whether the entry is settled now (its baseline is what it settled at); nothing is due until it changes.
        var isSettled = false
        /// The snapshot last reported, so a late event followed by no change does not report the entry twice.
        var reported: EntrySnapshot?
    }

    public let settlePeriod: Duration
    public let firstLookDelay: Duration
    private var entries: [Key: EntryState] = [:]
    /// Deadlines by time; an item is stale once its entry's deadline moved, and is skipped when it comes up.
    private var deadlines = DeadlineHeap<Key, Instant>()

    /// - Parameters:
    ///   - settlePeriod: how long an entry must be quiet and unchanged.
    ///   - firstLookDelay: how long after the last activity to take the first look; defaults to
    ///     an eighth of the settle period, at most 100 ms (each look
    ///     rescans the entry, so looking at every pause of a slow copy would cost more than it saves).
    public init(settlePeriod: Duration, firstLookDelay: Duration? = nil) {
        self.settlePeriod = settlePeriod
        self.firstLookDelay = firstLookDelay ?? min(settlePeriod / 8, .milliseconds(100))
    }

    /// The entries being tracked (settled or not).
    public var trackedKeys: Set<Key> { Set(entries.keys) }

    /// Whether `key` is being tracked (settled or not).
    public func isTracked(_ key: Key) -> Bool { entries[key] != nil }

    /// Whether `key` settled and has not seen activity or changed since.
    public func isSettled(_ key: Key) -> Bool { entries[key]?.isSettled == true }

    /// The earliest time something is due, or nil when every entry is settled or none is tracked.
    public var nextDeadline: Instant? {
        mutating get {
            while let top = deadlines.first, !isCurrent(top) { deadlines.removeFirst() }
            return deadlines.first?.deadline
        }
    }

    /// Feeds one observation at time `now` and returns what to do.
    public mutating func event(_ event: Event, at now: Instant) -> Action {
        var action = Action()
        switch event {
        case .activity(let key):
            entries[key] = EntryState(lastActivity: now, baseline: nil, reported: entries[key]?.reported)
            scheduleDeadline(of: key)
        case .looked(let key, let snapshot):
            if let settled = looked(key, snapshot: snapshot, at: now) { action.settled.append(settled) }
            scheduleDeadline(of: key)
        case .tick:
            var due: [Key] = []
            var seen: Set<Key> = []
            while let top = deadlines.first, top.deadline <= now {
                deadlines.removeFirst()
                if isCurrent(top) && seen.insert(top.key).inserted { due.append(top.key) }
            }
            action.look = due
        case .forget(let key):
            entries[key] = nil
        case .held(let key):
            entries[key]?.reported = nil
        }
        action.wakeAt = nextDeadline
        return action
    }

    private mutating func looked(_ key: Key, snapshot: EntrySnapshot?, at now: Instant) -> Settled? {
        guard let snapshot else {
            entries[key] = nil
            return nil
        }
        guard var state = entries[key] else {
            // First sighting through a look (startup reconcile, rescan, poll): that moment counts as activity.
            entries[key] = EntryState(lastActivity: now, baseline: Look(snapshot: snapshot, at: now), reported: nil)
            return nil
        }
        defer { entries[key] = state }
        guard let baseline = state.baseline else {
            state.baseline = Look(snapshot: snapshot, at: now)
            return nil
        }
        guard baseline.snapshot == snapshot else {
            // Changed without an event (a missed event, or a network file system): that is activity too.
            state.isSettled = false
            state.lastActivity = now
            state.baseline = Look(snapshot: snapshot, at: now)
            return nil
        }
        let quietLongEnough = now >= state.lastActivity.advanced(by: settlePeriod)
        let unchangedLongEnough = now >= baseline.at.advanced(by: settlePeriod)
        guard !state.isSettled, quietLongEnough && unchangedLongEnough else { return nil }
        state.isSettled = true
        guard state.reported != snapshot else { return nil }
        state.reported = snapshot
        return Settled(key: key, snapshot: snapshot)
    }

    private mutating func scheduleDeadline(of key: Key) {
        guard let state = entries[key], let due = deadline(of: state) else { return }
        deadlines.insert(key: key, deadline: due)
    }

    private func isCurrent(_ item: DeadlineHeap<Key, Instant>.Item) -> Bool {
        entries[item.key].flatMap(deadline(of:)) == item.deadline
    }

    private func deadline(of state: EntryState) -> Instant? {
        if state.isSettled { return nil }
        guard let baseline = state.baseline else { return state.lastActivity.advanced(by: firstLookDelay) }
        let quiet = state.lastActivity.advanced(by: settlePeriod)
        let unchanged = baseline.at.advanced(by: settlePeriod)
        return max(quiet, unchanged)
    }
}

/// A binary min-heap of (deadline, key), so finding what is due stays cheap with thousands of entries.
struct DeadlineHeap<Key: Hashable & Sendable, Instant: InstantProtocol & Sendable>: Sendable {
    struct Item: Sendable {
        let deadline: Instant
        let key: Key
    }

    private var items: [Item] = []

    var first: Item? { items.first }

    mutating func insert(key: Key, deadline: Instant) {
        items.append(Item(deadline: deadline, key: key))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].deadline < items[parent].deadline else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func removeFirst() {
        guard !items.isEmpty else { return }
        items.swapAt(0, items.count - 1)
        items.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left].deadline < items[smallest].deadline { smallest = left }
            if right < items.count && items[right].deadline < items[smallest].deadline { smallest = right }
            if smallest == parent { return }
            items.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
