import DuplicateSearch
import Foundation

/// Step A's record of a dataset: every image's hash and size, what could not be read or was left out, and duplicates.
public struct DatasetIndex: Codable, Equatable, Sendable {
    public struct Image: Codable, Equatable, Sendable {
        public let path: String
        public let sha256: String
        public let size: Int
        public let width: Int
        public let height: Int
        public let format: String
        /// 64-bit perceptual hash as 16 hex digits, when the image could be decoded.
        public let perceptualHash: String?
    }

    public struct Unreadable: Codable, Equatable, Sendable {
        public let path: String
        public let reason: String
    }

    /// A file of the drop that Sluice never reads: a symlink (with its target), a special file, an odd name.
    public struct LeftOut: Codable, Equatable, Sendable {
        public let path: String
        public let reason: String

        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    public struct NearDuplicate: Codable, Equatable, Sendable {
        public let first: String
        public let second: String
        public let distance: Int
    }

    /// How many near-duplicate pairs are kept in the index (REVIEW.md shows them); the rest are only counted.
    public static let nearDuplicatesKept = 200

    public var images: [Image] = []
    public var unreadable: [Unreadable] = []
    /// Files of the drop left out unread (symlinks, special files, names a zip cannot hold).
    public var leftOut: [LeftOut] = []
    public var exactDuplicates: [[String]] = []
    /// The closest near-duplicate pairs (at most `nearDuplicatesKept`), closest first.
    public var nearDuplicates: [NearDuplicate] = []
    /// Every near-duplicate pair found (at least `nearDuplicates.count`; a lower bound when the search ran out of budget).
    public var nearDuplicatePairCount = 0

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case images, unreadable, leftOut, exactDuplicates, nearDuplicates, nearDuplicatePairCount
    }

    /// Decodes indexes written before `leftOut` and `nearDuplicatePairCount` existed too.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        images = try container.decodeIfPresent([Image].self, forKey: .images) ?? []
        unreadable = try container.decodeIfPresent([Unreadable].self, forKey: .unreadable) ?? []
        leftOut = try container.decodeIfPresent([LeftOut].self, forKey: .leftOut) ?? []
        exactDuplicates = try container.decodeIfPresent([[String]].self, forKey: .exactDuplicates) ?? []
        nearDuplicates = try container.decodeIfPresent([NearDuplicate].self, forKey: .nearDuplicates) ?? []
        nearDuplicatePairCount = try container.decodeIfPresent(Int.self, forKey: .nearDuplicatePairCount) ?? nearDuplicates.count
    }

    /// Groups of paths whose bytes are identical (same SHA-256).
    public mutating func findExactDuplicates() {
        let groups = Dictionary(grouping: images, by: \.sha256).values.filter { $0.count > 1 }
        exactDuplicates = groups.map { $0.map(\.path).sorted() }.sorted { $0[0] < $1[0] }
    }

    /// Pairs within `threshold` bits of perceptual hash that are not exact duplicates: counted in full, the closest
    /// `nearDuplicatesKept` kept, in sub-quadratic time (NearDuplicateSearch).
    public mutating func findNearDuplicates(threshold: Int) {
        // Exact duplicates are already reported; one representative per SHA-256 is searched.
        var seenDigests: Set<String> = []
        let hashed = images.compactMap { image -> (Image, UInt64)? in
            guard let hash = image.perceptualHash.flatMap({ UInt64($0, radix: 16) }), seenDigests.insert(image.sha256).inserted else { return nil }
            return (image, hash)
        }
        let result = NearDuplicateSearch(maxDistance: threshold, keep: Self.nearDuplicatesKept).search(hashed.map(\.1))
        nearDuplicates = result.closest.map { pair in
            NearDuplicate(first: hashed[pair.first].0.path, second: hashed[pair.second].0.path, distance: pair.distance)
        }
        nearDuplicatePairCount = result.pairCount
    }
}
