/// What a sidecar says, as Sluice understands it: keyword lists, tags by category, source, ratings, marker.
public struct SidecarContents: Equatable, Sendable, Codable {
    /// `dc:subject`.
    public var keywords: [String]
    /// `lr:hierarchicalSubject`.
    public var hierarchicalKeywords: [String]
    /// `digiKam:TagsList`.
    public var digiKamTags: [String]
    /// `MicrosoftPhoto:LastKeywordXMP`.
    public var lastKeywords: [String]
    public var source: String?
    public var description: String?
    /// `xmp:Rating`, when present and numeric.
    public var stars: Int?
    public var processed: ProcessedMarker?

    /// Every tag with its category: from the hierarchical lists, then flat keywords no hierarchy covers.
    public var tags: [SidecarTag] {
        var result: [SidecarTag] = []
        if !hierarchicalKeywords.isEmpty {
            for entry in hierarchicalKeywords {
                guard let bar = entry.lastIndex(of: "|") else { result.append(SidecarTag(entry)); continue }
                result.append(SidecarTag(String(entry[entry.index(after: bar)...]), category: String(entry[..<bar])))
            }
        } else {
            // Sluice's categories never contain "/", so the first one separates category from tag.
            for entry in digiKamTags {
                guard let slash = entry.firstIndex(of: "/") else { result.append(SidecarTag(entry)); continue }
                result.append(SidecarTag(String(entry[entry.index(after: slash)...]), category: String(entry[..<slash])))
            }
        }
        let covered = Set(result.map(\.flatKeyword))
        result += keywords.filter { !covered.contains($0) }.map { SidecarTag($0) }
        var seen = Set<SidecarTag>()
        return result.filter { seen.insert($0).inserted }
    }

    /// Tag names by category; uncategorized tags are under "".
    public var tagsByCategory: [String: [String]] {
        tags.reduce(into: [:]) { $0[$1.category ?? "", default: []].append($1.name) }
    }

    /// The booru content rating stored as a `rating/…` tag.
    public var booruRating: String? {
        tags.first(where: { $0.category == SidecarTag.ratingCategory })?.name
    }
}
