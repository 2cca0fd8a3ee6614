import Foundation

extension XMPPacket {
    /// Merges an update into the packet: keyword lists gain missing tags, simple fields are set when given.
    mutating func apply(_ update: SidecarUpdate) {
        let tags = update.tags
        // An uncategorized tag already filed under some category stays out of the hierarchical lists.
        let hierarchy = items(of: .hierarchicalSubject) + items(of: .digiKamTagsList)
        let filed = tags.filter { tag in
            tag.category != nil || !hierarchy.contains { $0.hasSuffix("|" + tag.name) || $0.hasSuffix("/" + tag.name) }
        }
        addItems(tags.map(\.flatKeyword), to: .subject, container: .bag)
        addItems(filed.map(\.hierarchicalKeyword), to: .hierarchicalSubject, container: .bag)
        addItems(filed.map(\.pathKeyword), to: .digiKamTagsList, container: .seq)
        addItems(filed.map(\.pathKeyword), to: .lastKeywordXMP, container: .bag)
        if let source = update.source { setValue(source, of: .source) }
        if let description = update.description { setDefaultLanguageValue(description, of: .description) }
        if let stars = update.stars { setValue(String(stars), of: .rating) }
    }

    /// The marker Sluice left, if any.
    var processedMarker: ProcessedMarker? {
        guard let version = value(of: .processedVersion) else { return nil }
        return ProcessedMarker(version: version, date: value(of: .processedDate) ?? "")
    }

    mutating func setProcessedMarker(_ marker: ProcessedMarker) {
        setValue(marker.version, of: .processedVersion)
        setValue(marker.date, of: .processedDate)
    }

    /// The fields Sluice reads back.
    var contents: SidecarContents {
        SidecarContents(
            keywords: items(of: .subject),
            hierarchicalKeywords: items(of: .hierarchicalSubject),
            digiKamTags: items(of: .digiKamTagsList),
            lastKeywords: items(of: .lastKeywordXMP),
            source: value(of: .source),
            description: value(of: .description),
            stars: value(of: .rating).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) },
            processed: processedMarker)
    }
}
