/// Why a review folder cannot be opened or a decision cannot be written; each names the file.
public enum ReviewError: Error, CustomStringConvertible, Equatable {
    case notAReviewFolder(path: String)
    case malformed(file: String, reason: String)
    case nothingWaiting(root: String)
    case noSuchReview(String)
    case writeFailed(file: String, reason: String)

    public var description: String {
        switch self {
        case .notAReviewFolder(let path):
            "\(path) is not a review folder (no \(BatchManifest.fileName) and no .sluice-job note inside)"
        case .malformed(let file, let reason): "\(file): \(reason)"
        case .nothingWaiting(let root): "nothing waits for review in \(root)"
        case .noSuchReview(let reference):
            "no batch or job named '\(reference)' waits for review (see `sluice status`)"
        case .writeFailed(let file, let reason): "\(file): cannot write: \(reason)"
        }
    }
}
