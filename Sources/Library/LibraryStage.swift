/// The library profile's stages, in the order an image goes through them; `sync` is the run's, not an image's.
public enum LibraryStage: String, Codable, CaseIterable, Sendable, Comparable {
    case scan, analyze, lookup, review, sidecar, categorize, organize, sync

    /// The stages each image passes (every stage but the run's sync).
    public static let imageStages = allCases.filter { $0 != .sync }

    public static func < (lhs: LibraryStage, rhs: LibraryStage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
