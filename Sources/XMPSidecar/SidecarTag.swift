import Foundation

/// One tag for a sidecar, with the category (booru style: general, character, artist, rating …) it files under.
public struct SidecarTag: Hashable, Sendable, Codable, CustomStringConvertible {
    public var name: String
    public var category: String?

    /// Trims whitespace and drops characters XML cannot carry; an empty category means none.
    public init(_ name: String, category: String? = nil) {
        self.name = XMLEscaping.removingDisallowed(name).trimmingCharacters(in: .whitespacesAndNewlines)
        let trimmedCategory = category.map { XMLEscaping.removingDisallowed($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        self.category = trimmedCategory?.isEmpty == false ? trimmedCategory : nil
    }

    /// The booru content rating (`general`, `sensitive`, `questionable`, `explicit`) as a tag: not a star rating.
    public static func booruRating(_ rating: String) -> SidecarTag {
        SidecarTag(rating, category: ratingCategory)
    }

    public static let ratingCategory = "rating"

    /// The `dc:subject` keyword; a rating reads `rating:general` because a bare `general` says nothing there.
    var flatKeyword: String { category == Self.ratingCategory ? "\(Self.ratingCategory):\(name)" : name }

    /// The `lr:hierarchicalSubject` entry, `category|tag`.
    var hierarchicalKeyword: String { category.map { "\($0)|\(name)" } ?? name }

    /// The `digiKam:TagsList` and `MicrosoftPhoto:LastKeywordXMP` entry, `category/tag`.
    var pathKeyword: String { category.map { "\($0)/\(name)" } ?? name }

    public var description: String { category.map { "\($0):\(name)" } ?? name }
}
