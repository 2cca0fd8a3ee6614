import Foundation

/// A top-level entry of a watched directory that has settled and passed the `DropFilter`: ready to act on.
public struct SettledDrop: Equatable, Hashable, Sendable {
    public let directory: URL
    /// The entry's name inside `directory`.
    public let entry: String
    /// What the entry held when it settled.
    public let snapshot: EntrySnapshot

    public init(directory: URL, entry: String, snapshot: EntrySnapshot) {
        self.directory = directory
        self.entry = entry
        self.snapshot = snapshot
    }

    public var url: URL { directory.appendingPathComponent(entry) }
}
