/// The library profile's stages, in the order an image goes through them.
public enum LibraryStage: String, Codable, CaseIterable, Sendable, Comparable {
    case scan, lookup, review, sidecar, categorize, organize

    public static func < (lhs: LibraryStage, rhs: LibraryStage) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
