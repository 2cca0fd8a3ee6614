/// One line of a job's checkpoint journal: an image's record after a stage, or a review batch made or decided.
public enum CheckpointEntry: Codable, Equatable, Sendable {
    case image(ImageRecord)
    case reviewBatch(ReviewBatchRecord)
}

/// A review folder the run made for one batch, and whether the user's decision was read back.
public struct ReviewBatchRecord: Codable, Equatable, Sendable {
    public var batch: Int
    /// The folder's name under review/ (`<drop>__batch-<n>`).
    public var folderName: String
    /// Image path (relative to the drop) → file name inside the review folder.
    public var files: [String: String]
    public var decided: Bool

    public init(batch: Int, folderName: String, files: [String: String], decided: Bool) {
        self.batch = batch
        self.folderName = folderName
        self.files = files
        self.decided = decided
    }
}

/// Where one entry's line is in the checkpoint journal (without its newline).
public struct RecordLocation: Equatable, Sendable {
    public var offset: Int64
    public var length: Int

    public init(offset: Int64, length: Int) {
        self.offset = offset
        self.length = length
    }
}

/// The state a checkpoint journal folds into: for every image its latest record's place in the journal and its
/// summary (a few bytes each, so a drop of any size fits), every review batch, and the image counters as running
/// totals. A record itself is read back from the journal when its batch is in hand.
public struct LibraryCheckpoint: Equatable, Sendable {
    /// One image as the checkpoint knows it.
    public struct Image: Equatable, Sendable {
        public var location: RecordLocation
        public var summary: ImageSummary
    }

    public private(set) var images: [String: Image] = [:]
    public private(set) var reviewBatches: [Int: ReviewBatchRecord] = [:]
    /// The image counts over every summary (the run adds its own lookup counts).
    public private(set) var counters = RunCounters()

    public init() {}

    public mutating func apply(_ entry: CheckpointEntry, at location: RecordLocation) {
        switch entry {
        case .image(let record):
            let summary = ImageSummary(record)
            if let old = images[record.path] { counters.count(old.summary, sign: -1) }
            counters.count(summary, sign: 1)
            images[record.path] = Image(location: location, summary: summary)
        case .reviewBatch(let batch):
            reviewBatches[batch.batch] = batch
        }
    }

    /// The batch numbers of the drop's images, in order.
    public var batches: [Int] { Set(images.values.map(\.summary.batch)).sorted() }

    /// The paths of one batch's images, sorted.
    public func paths(inBatch batch: Int) -> [String] {
        images.filter { $0.value.summary.batch == batch }.keys.sorted()
    }
}
