import Foundation
import Glibc
import SystemIO

/// A file written piece by piece under a temp name (`TemporaryName`) in its folder, then made durable and named in
/// one rename: a reader sees it whole or not at all, and a kill leaves only a temp that a sweep recognises.
final class StagedFile {
    let folder: String
    let temporaryPath: String
    private let handle: FileHandle
    private var buffer = Data()

    /// Writes are gathered up to this many bytes.
    static let bufferSize = 256 << 10

    init(in folder: String) throws {
        self.folder = folder
        temporaryPath = folder + "/" + TemporaryName.make()
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil), let handle = FileHandle(forUpdatingAtPath: temporaryPath)
        else {
            throw LibraryError.cannotWrite(path: temporaryPath, reason: "cannot create a temp file")
        }
        self.handle = handle
    }

    func write(_ data: Data) throws {
        buffer.append(data)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    func write(_ text: String) throws { try write(Data(text.utf8)) }

    /// Appends what was written to `spool` so far.
    func append(contentsOf spool: StagedFile) throws {
        try spool.flush()
        try spool.handle.seek(toOffset: 0)
        while let chunk = try spool.handle.read(upToCount: Self.bufferSize), !chunk.isEmpty { try write(chunk) }
    }

    /// Flushes, fsyncs and renames the file to `name` in its folder (replacing a file of that name), then syncs the folder.
    func commit(as name: String) throws {
        try flush()
        try handle.synchronize()
        try handle.close()
        try FileOperations.rename(temporaryPath, to: folder + "/" + name)
        try FileOperations.syncDirectory(at: folder)
    }

    /// Removes the temp file (a spool once used, or a file whose writing failed).
    func discard() {
        try? handle.close()
        unlink(temporaryPath)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
