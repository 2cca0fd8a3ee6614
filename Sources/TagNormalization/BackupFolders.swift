import Foundation
import SystemIO

/// The folders of a backup tree as captions are backed up into it: each made once, and the ones touched (with the
/// parents made for them) remembered, so their entries can be made durable before the captions are replaced.
public struct BackupFolders: Sendable {
    /// The backup tree's root (captions keep their relative paths under it).
    public let root: String
    /// Folders whose entries changed since the last `takeTouched()`: backup folders, and parents created for them.
    public private(set) var touched: Set<String> = []
    private var made: Set<String> = []

    public init(root: String) { self.root = root }

    /// Makes the folder of `relativePath`'s backup (once) and returns the backup's full path.
    /// - Throws: `CaptionWriteError.backupFailed` naming `caption` when the folder cannot be made.
    public mutating func prepare(_ relativePath: String, caption: String) throws(CaptionWriteError) -> String {
        let backup = root + "/" + relativePath
        let folder = DurableBatch.folder(of: backup)
        touched.insert(folder)
        guard !made.contains(folder) else { return backup }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .backupFailed(path: caption, backup: folder, reason: "\(error)")
        }
        made.insert(folder)
        var parent = DurableBatch.folder(of: folder)
        let top = DurableBatch.folder(of: root)
        while parent.count >= top.count, touched.insert(parent).inserted { parent = DurableBatch.folder(of: parent) }
        return backup
    }

    /// The folders touched since the last call, forgotten so the next batch starts afresh.
    public mutating func takeTouched() -> Set<String> {
        defer { touched = [] }
        return touched
    }

    /// Fsyncs every folder touched since the last `takeTouched()`, parents last.
    public mutating func sync() throws {
        for folder in takeTouched().sorted(by: { $0.count > $1.count }) { try FileOperations.syncDirectory(at: folder) }
    }
}
