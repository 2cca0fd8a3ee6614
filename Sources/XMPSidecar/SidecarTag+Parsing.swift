import Foundation

extension SidecarTag {
    /// Booru shorthand for content ratings, as in `rating:g`.
    static let ratingShorthands = ["g": "general", "s": "sensitive", "q": "questionable", "e": "explicit"]

    /// Tags from a comma- or newline-separated caption such as `1girl, hatsune miku, rating:general`.
    ///
    /// `rating:X` (also `rating:g`/`s`/`q`/`e`) becomes the booru rating tag; `categories` maps a tag name to
    /// its category; duplicates are dropped, first occurrence kept.
    public static func parseList(_ text: String, categories: [String: String] = [:]) -> [SidecarTag] {
        var seen = Set<SidecarTag>()
        return text.split(whereSeparator: { $0 == "," || $0.isNewline }).compactMap { piece -> SidecarTag? in
            let name = piece.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else { return nil }
            if name.lowercased().hasPrefix("rating:") {
                let value = name.dropFirst("rating:".count).trimmingCharacters(in: .whitespaces).lowercased()
                if !value.isEmpty { return .booruRating(ratingShorthands[value] ?? value) }
            }
            return SidecarTag(name, category: categories[name])
        }.filter { seen.insert($0).inserted }
    }
}
