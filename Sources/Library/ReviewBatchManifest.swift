/// `.sluice-batch.json`: what the review screen reads about a batch (CONTRACTS.md: written once, never changed).
public struct ReviewBatchManifest: Codable, Equatable, Sendable {
    public struct Image: Codable, Equatable, Sendable {
        public var file: String
        public var bytes: Int64
        public var width: Int
        public var height: Int
        public var source: String?
        public var similarity: Double?
        public var tags: [Tag]
    }

    public struct Tag: Codable, Equatable, Sendable {
        public var category: String
        public var tag: String
        public var confidence: Double?
        public var source: String?
    }

    public var schema = 1
    public var job: String
    public var batch: Int
    public var images: [Image]
}

extension ReviewBatchManifest.Image {
    enum CodingKeys: String, CodingKey { case file, bytes, width, height, source, similarity, tags }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(file, forKey: .file)
        try container.encode(bytes, forKey: .bytes)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(source, forKey: .source)
        try container.encode(similarity, forKey: .similarity)
        try container.encode(tags, forKey: .tags)
    }
}
