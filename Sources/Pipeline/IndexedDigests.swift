import Foundation
import Glibc

/// The SHA-256s step A recorded, for the files of the final stage that are still the very files it hashed.
///
/// Auto-approved, the final stage's images are hard links to the job's copy of the drop (`source/`), which nothing
/// modifies: the index's digest of such a file is its digest now, and the final zip need not hash it again. A file
/// that is a different inode (a clone the user could edit in review, a replaced image) or whose size differs from
/// the index's record gets no digest here and is hashed as the zip writer reads it.
struct IndexedDigests {
    private let source: String
    private let finalStage: String
    private let images: [String: DatasetIndex.Image]

    init(index: DatasetIndex, source: URL, finalStage: URL) {
        self.source = source.path
        self.finalStage = finalStage.path
        images = Dictionary(index.images.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The recorded SHA-256 of the final stage's `path` when it is the same inode as `source/path` and has the size
    /// the index recorded; nil otherwise.
    func sha256(of path: String) -> String? {
        guard let image = images[path] else { return nil }
        var staged = stat(), original = stat()
        guard lstat(finalStage + "/" + path, &staged) == 0, lstat(source + "/" + path, &original) == 0,
            staged.st_dev == original.st_dev, staged.st_ino == original.st_ino, (staged.st_mode & S_IFMT) == S_IFREG,
            Int(staged.st_size) == image.size
        else { return nil }
        return image.sha256
    }
}
