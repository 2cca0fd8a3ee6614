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

/// The state a checkpoint journal folds into: the latest record of every image and every review batch.
public struct LibraryCheckpoint: Equatable, Sendable {
    public private(set) var images: [String: ImageRecord] = [:]
    public private(set) var reviewBatches: [Int: ReviewBatchRecord] = [:]

    public init() {}

    public mutating func apply(_ entry: CheckpointEntry) {
        switch entry {
        case .image(let record): images[record.path] = record
        case .reviewBatch(let batch): reviewBatches[batch.batch] = batch
        }
    }
}
