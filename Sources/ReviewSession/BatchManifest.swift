/// `.sluice-batch.json`: what the library profile knew about each image when it made the batch (read only).
public struct BatchManifest: Codable, Sendable, Equatable {
    public var schema: Int
    public var job: String
    public var batch: Int
    public var images: [Image]

    public struct Image: Codable, Sendable, Equatable {
        public var file: String
        public var bytes: Int
        public var width: Int?
        public var height: Int?
        public var source: String?
        public var similarity: Double?
        public var tags: [Tag]

        public init(file: String, bytes: Int, width: Int?, height: Int?, source: String?, similarity: Double?, tags: [Tag]) {
            self.file = file
            self.bytes = bytes
            self.width = width
            self.height = height
            self.source = source
            self.similarity = similarity
            self.tags = tags
        }
    }

    public struct Tag: Codable, Sendable, Equatable {
        public var category: String
        public var tag: String
        public var confidence: Double?
        public var source: String?

        public init(category: String, tag: String, confidence: Double?, source: String?) {
            self.category = category
            self.tag = tag
            self.confidence = confidence
            self.source = source
        }
    }

    public init(schema: Int = 1, job: String, batch: Int, images: [Image]) {
        self.schema = schema
        self.job = job
        self.batch = batch
        self.images = images
    }

    public static let fileName = ".sluice-batch.json"
}
