import Foundation

/// Step A's record of a dataset: every image's hash and size, what could not be read, and duplicates.
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

    public struct NearDuplicate: Codable, Equatable, Sendable {
        public let first: String
        public let second: String
        public let distance: Int
    }

    public var images: [Image] = []
    public var unreadable: [Unreadable] = []
    public var exactDuplicates: [[String]] = []
    public var nearDuplicates: [NearDuplicate] = []

    public init() {}

    /// Groups of paths whose bytes are identical (same SHA-256).
    mutating func findExactDuplicates() {
        let groups = Dictionary(grouping: images, by: \.sha256).values.filter { $0.count > 1 }
        exactDuplicates = groups.map { $0.map(\.path).sorted() }.sorted { $0[0] < $1[0] }
    }

    /// Pairs within `threshold` bits of perceptual hash that are not exact duplicates.
    mutating func findNearDuplicates(threshold: Int) {
        let hashed = images.compactMap { image in image.perceptualHash.flatMap { UInt64($0, radix: 16) }.map { (image, $0) } }
        var pairs: [NearDuplicate] = []
        for i in hashed.indices {
            for j in hashed.indices where j > i {
                guard hashed[i].0.sha256 != hashed[j].0.sha256 else { continue }
                let distance = (hashed[i].1 ^ hashed[j].1).nonzeroBitCount
                if distance <= threshold {
                    pairs.append(NearDuplicate(first: hashed[i].0.path, second: hashed[j].0.path, distance: distance))
                }
            }
        }
        nearDuplicates = pairs
    }
}
