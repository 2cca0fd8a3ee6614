import Foundation

/// Decides which names never count as drops and whether a quiet entry is complete enough to act on.
public struct DropFilter: Sendable {
    /// Suffixes browsers and copy tools give files still being written; such a file is never a drop of its own,
    /// and an entry holding one is not complete.
    public var temporarySuffixes: [String]
    /// Says whether one regular file is complete (for example "the zip's central directory reads").
    public var isFileComplete: @Sendable (URL) -> Bool

    public static let defaultTemporarySuffixes = [".crdownload", ".part", ".download", ".tmp"]

    public init(
        temporarySuffixes: [String] = DropFilter.defaultTemporarySuffixes,
        isFileComplete: @escaping @Sendable (URL) -> Bool = { _ in true }
    ) {
        self.temporarySuffixes = temporarySuffixes
        self.isFileComplete = isFileComplete
    }

    /// Whether a top-level name is never a drop: dot-files and temporary download names.
    public func isIgnored(name: String) -> Bool {
        name.hasPrefix(".") || isTemporary(name: name)
    }

    /// Whether `name` ends with one of the temporary suffixes (case-insensitively).
    public func isTemporary(name: String) -> Bool {
        let lowered = name.lowercased()
        return temporarySuffixes.contains { lowered.hasSuffix($0) }
    }

    /// `name` without its temporary suffix (`set.zip` for `set.zip.part`), or nil when it has none.
    public func nameWithoutTemporarySuffix(_ name: String) -> String? {
        let lowered = name.lowercased()
        guard let suffix = temporarySuffixes.first(where: { lowered.hasSuffix($0) }), name.count > suffix.count else {
            return nil
        }
        return String(name.dropLast(suffix.count))
    }

    /// Why the settled entry `name` in `directory` must not be acted on yet, or nil when it counts.
    ///
    /// Firefox and others first create an empty file beside its growing `.part` twin, so an empty file whose
    /// twin exists is a download in progress.
    public func blockingReason(directory: URL, name: String, snapshot: EntrySnapshot) -> String? {
        if isIgnored(name: name) { return "\(name) is a temporary or hidden name" }
        let entry = directory.appendingPathComponent(name)
        for item in snapshot.items {
            let itemName = item.path.isEmpty ? name : item.name
            let itemURL = item.path.isEmpty ? entry : entry.appendingPathComponent(item.path)
            if !item.path.isEmpty && isTemporary(name: itemName) {
                return "\(itemURL.path) is still being downloaded (temporary name)"
            }
            guard item.kind == .file else { continue }
            if item.size == 0 {
                let twins = temporarySuffixes.map { itemURL.path + $0 }
                if let twin = twins.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                    return "\(itemURL.path) is empty while \(twin) is still being written"
                }
            }
            if !isFileComplete(itemURL) { return "\(itemURL.path) is not complete yet" }
        }
        return nil
    }
}
