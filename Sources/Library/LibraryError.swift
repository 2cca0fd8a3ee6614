/// Why a library run could not start or go on; per-image problems are stage outcomes, not these.
public enum LibraryError: Error, CustomStringConvertible, Equatable, Sendable {
    case notAFolder(path: String)
    case checkpointUnreadable(path: String, line: Int, reason: String)
    case cannotWrite(path: String, reason: String)
    case invalidRange(from: LibraryStage, to: LibraryStage)

    public var description: String {
        switch self {
        case .notAFolder(let path):
            "\(path): not a folder (give the folder of images to process)"
        case .checkpointUnreadable(let path, let line, let reason):
            "\(path):\(line): the checkpoint is damaged (\(reason)); move it aside to start the run over"
        case .cannotWrite(let path, let reason):
            "\(path): cannot write (\(reason)); check the folder's permissions and free space"
        case .invalidRange(let from, let to):
            "--from \(from.rawValue) comes after --to \(to.rawValue)"
        }
    }
}
