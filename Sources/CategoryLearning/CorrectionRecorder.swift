import Foundation
import Hashing

/// Turns a file moved inside `final/` into a correction (or a plain path update), moving a sidecar left behind.
public struct CorrectionRecorder: Sendable {
    public let finalFolder: String
    public let store: CorrectionStore
    public let log: @Sendable (String) -> Void
    public let clock: @Sendable () -> Date

    public init(
        finalFolder: String, store: CorrectionStore, log: @escaping @Sendable (String) -> Void = { _ in },
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.finalFolder = finalFolder.hasSuffix("/") ? String(finalFolder.dropLast()) : finalFolder
        self.store = store
        self.log = log
        self.clock = clock
    }

    /// Whether a name is an image the learner cares about (not a sidecar, not a dot-file or a temporary name).
    public static func isImageName(_ name: String) -> Bool {
        let lowered = name.lowercased()
        guard !name.hasPrefix("."), !lowered.hasSuffix(".xmp") else { return false }
        return ["jpg", "jpeg", "png", "webp", "gif", "avif"].contains((lowered as NSString).pathExtension)
    }

    /// An image now at `to` (relative to `final/`) that was at `from`, or somewhere the store knows when `from` is nil.
    /// Returns where the image was before and the correction recorded (nil when the move taught nothing: same
    /// folder); nil when the image is not one Sluice placed. The caller moves the sidecar along (`moveSidecar`).
    @discardableResult
    public func imageMoved(from: String?, to: String) throws -> (previousPath: String, correction: Correction?)? {
        let name = (to as NSString).lastPathComponent
        guard Self.isImageName(name) else { return nil }
        guard from != to else { return nil }
        var known = try from.flatMap { try store.placement(atPath: $0) }
        if known == nil {
            // The first half was missed (a folder made just before the move) or the move came from outside: by content.
            guard let sha256 = try? FileDigest.hex(of: finalFolder + "/" + to) else { return nil }
            known = try store.placement(sha256: sha256)
        }
        guard let placement = known else {
            log("learning: \(to) is not an image Sluice placed; nothing learned")
            return nil
        }
        guard placement.finalPath != to else { return nil }
        let old = placement.finalPath
        // Without the move's first half, the same bytes still at their old place are a copy (the same image organized
        // twice, or copied by the user), not a move: nothing to learn.
        if from == nil && FileManager.default.fileExists(atPath: finalFolder + "/" + old) { return nil }
        let fromCategory = placement.category
        let chosen = PlacedImage.category(ofPath: to)
        guard fromCategory != chosen, !chosen.isEmpty else {
            try store.movePlacement(sha256: placement.sha256, to: to, now: clock())
            return (old, nil)
        }
        let correction = Correction(
            sha256: placement.sha256, tags: placement.tags.filter { !$0.isAnalysis }.sorted(),
            analysisTags: placement.tags.filter(\.isAnalysis).sorted(), suggestedCategory: placement.suggestedCategory,
            fromCategory: fromCategory, chosenCategory: chosen, time: clock())
        guard try store.recordCorrection(correction, oldPath: old, newPath: to) else { return nil }
        log("learning: you moved \(name) from \(fromCategory.isEmpty ? "final" : fromCategory)/ to \(chosen)/; recorded")
        return (old, correction)
    }

    /// A category folder renamed inside `final/`: every placement under it follows, nothing is learned.
    public func folderMoved(from: String, to: String) throws {
        var count = 0
        for placement in try store.allPlacements() where placement.finalPath.hasPrefix(from + "/") {
            try store.movePlacement(sha256: placement.sha256, to: to + placement.finalPath.dropFirst(from.count), now: clock())
            count += 1
        }
        log("learning: folder \(from)/ renamed to \(to)/ (\(count) image(s) follow; a rename teaches nothing)")
    }

    /// Moves `<old image>.xmp` beside the image's new place when the user moved only the image.
    public func moveSidecar(image old: String, now new: String) {
        let source = finalFolder + "/" + old + ".xmp"
        let destination = finalFolder + "/" + new + ".xmp"
        var info = stat()
        guard lstat(source, &info) == 0, info.st_mode & S_IFMT == S_IFREG, lstat(destination, &info) != 0 else { return }
        if rename(source, destination) == 0 {
            log("learning: moved the sidecar \(old).xmp along to \(new).xmp")
        } else {
            log("learning: could not move the sidecar \(old).xmp to \(new).xmp: \(String(cString: strerror(errno)))")
        }
    }
}
