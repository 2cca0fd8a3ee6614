/// A caption that could not be backed up or rewritten; originals stay recoverable from the backups.
public enum CaptionWriteError: Error, Equatable, CustomStringConvertible {
    case backupFailed(path: String, backup: String, reason: String)
    case writeFailed(path: String, backupDirectory: String, reason: String)

    public var description: String {
        switch self {
        case .backupFailed(let path, let backup, let reason):
            return "\(path): could not back up the caption to \(backup) (\(reason)); it was left unchanged. Check free space and permissions."
        case .writeFailed(let path, let backupDirectory, let reason):
            return "\(path): could not rewrite the caption (\(reason)); originals of the captions already rewritten are in \(backupDirectory)."
        }
    }
}
