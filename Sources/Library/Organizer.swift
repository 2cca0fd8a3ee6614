import Foundation
import Hashing
import SystemIO

/// Puts an image and its sidecar into `final/<Category>/`: never over another file (a clash gets a numbered name),
/// the same bytes already there count as done, and a half-copied file never appears under its real name.
public struct Organizer: Sendable {
    public let finalFolder: String
    public let move: Bool

    public init(finalFolder: String, move: Bool) {
        self.finalFolder = finalFolder
        self.move = move
    }

    /// Where an image went, and whether this call wrote it.
    public struct Placement: Equatable, Sendable {
        /// Relative to final/.
        public var relativePath: String
        public var alreadyThere: Bool
    }

    /// Places `source` (whose SHA-256 is `sha256`) under `folder`, with its sidecar when it has one; `beforeLanding`
    /// is told the path (relative to final/) just before the image appears there.
    public func place(
        _ source: String, sha256: String, bytes: Int64, folder: String, beforeLanding: (String) -> Void = { _ in }
    ) throws -> Placement {
        let targetFolder = finalFolder + "/" + folder
        try FileManager.default.createDirectory(atPath: targetFolder, withIntermediateDirectories: true)
        let name = (source as NSString).lastPathComponent
        var n = 1
        while true {
            let candidate = NumberedName.numbered(name, n)
            let destination = targetFolder + "/" + candidate
            var info = stat()
            if lstat(destination, &info) == 0 {
                if (info.st_mode & S_IFMT) == S_IFREG, Int64(info.st_size) == bytes,
                    (try? FileDigest.hex(of: destination, algorithm: .sha256)) == sha256
                {
                    beforeLanding(folder + "/" + candidate)
                    try placeSidecar(of: source, beside: destination)
                    if move { try? FileManager.default.removeItem(atPath: source) }
                    return Placement(relativePath: folder + "/" + candidate, alreadyThere: true)
                }
                n += 1
                continue
            }
            beforeLanding(folder + "/" + candidate)
            guard try link(source, to: destination) else {
                n += 1
                continue
            }
            CrashPoint.check("organize-image-placed")
            try placeSidecar(of: source, beside: destination)
            if move { try? FileManager.default.removeItem(atPath: source) }
            return Placement(relativePath: folder + "/" + candidate, alreadyThere: false)
        }
    }

    /// Copies (or renames, when moving on one file system) `source` to a hidden temp name, then links it to
    /// `destination`, which fails instead of replacing when the name was taken meanwhile. False when it was taken.
    private func link(_ source: String, to destination: String) throws -> Bool {
        let folder = (destination as NSString).deletingLastPathComponent
        let temporary = folder + "/.\((destination as NSString).lastPathComponent).sluice-tmp-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        try FileManager.default.copyItem(atPath: source, toPath: temporary)
        try FileOperations.syncFile(at: temporary)
        defer { unlink(temporary) }
        if Glibc.link(temporary, destination) != 0 {
            if errno == EEXIST { return false }
            throw LibraryError.cannotWrite(path: destination, reason: String(cString: strerror(errno)))
        }
        try? FileOperations.syncDirectory(at: folder)
        return true
    }

    /// The sidecar `<image>.<ext>.xmp` travels with the image; an identical one already there is left alone.
    private func placeSidecar(of source: String, beside destination: String) throws {
        let sidecar = source + ".xmp"
        guard FileManager.default.fileExists(atPath: sidecar) else { return }
        let target = destination + ".xmp"
        let data = try Data(contentsOf: URL(fileURLWithPath: sidecar))
        if let existing = try? Data(contentsOf: URL(fileURLWithPath: target)), existing == data {
            if move { try? FileManager.default.removeItem(atPath: sidecar) }
            return
        }
        try FileOperations.writeAtomically(data, to: URL(fileURLWithPath: target))
        if move { try? FileManager.default.removeItem(atPath: sidecar) }
    }

    /// Removes temp files a killed run left in final/ (hidden `.…sluice-tmp-<pid>` names).
    public func sweepTemporaryFiles() {
        guard let enumerator = FileManager.default.enumerator(atPath: finalFolder) else { return }
        for case let path as String in enumerator where (path as NSString).lastPathComponent.hasPrefix(".")
            && path.contains(".sluice-tmp-")
        {
            try? FileManager.default.removeItem(atPath: finalFolder + "/" + path)
        }
    }
}
