import Foundation
import Library
import SystemIO

extension Engine {
    /// How long a loose image that does not settle keeps the settled ones waiting for it.
    static let looseImageWaitLimit: TimeInterval = 60

    /// Library roots: loose images dropped straight into inbox/ become one drop, as a user copying 200 files there
    /// expects, not 200 jobs. Once every one has settled, they are moved together into `inbox/loose-<time>/`, which
    /// then settles and is adopted like any dropped folder (one job, one set of review batches, one report).
    /// Returns the folder made, nil when nothing was grouped.
    @discardableResult
    func groupLooseImages(in inbox: URL, claimed: Set<String>, isSettled: (URL) -> Bool) throws -> URL? {
        let manager = FileManager.default
        let names = ((try? manager.contentsOfDirectory(atPath: inbox.path)) ?? []).sorted()
        var loose: [(name: String, modified: Date)] = []
        for name in names where !DatasetFiles.isIgnoredName(name) && DatasetFiles.isImage(name) && !claimed.contains("inbox/" + name) {
            // lstat: a symbolic link is grouped as it is (the scan refuses it), never followed.
            var info = stat()
            guard lstat(inbox.appendingPathComponent(name).path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR else { continue }
            loose.append((name, Date(timeIntervalSince1970: TimeInterval(info.st_mtim.tv_sec) + TimeInterval(info.st_mtim.tv_nsec) / 1e9)))
        }
        let settled = loose.filter { isSettled(inbox.appendingPathComponent($0.name)) }
        guard !settled.isEmpty else { return nil }
        // One not settled yet (still being copied, or its copy just ended) joins the others when it settles; one held
        // back for long (a `.part` twin left behind) no longer keeps them waiting.
        let settledNames = Set(settled.map(\.name))
        let heldBackSince = Date().addingTimeInterval(-Self.looseImageWaitLimit)
        guard !loose.contains(where: { !settledNames.contains($0.name) && $0.modified > heldBackSince }) else { return nil }
        let name = NumberedName.free(for: "loose-" + LibraryRun.fileTimestamp(now())) { manager.fileExists(atPath: inbox.appendingPathComponent($0).path) }
        let folder = inbox.appendingPathComponent(name, isDirectory: true)
        try manager.createDirectory(at: folder, withIntermediateDirectories: false)
        for (image, _) in settled {
            try FileOperations.rename(inbox.appendingPathComponent(image).path, to: folder.appendingPathComponent(image).path)
        }
        try? FileOperations.syncDirectory(at: inbox.path)
        logger.info("\(settled.count) loose image(s) in inbox/ grouped into one drop: inbox/\(name)/")
        return folder
    }
}
