import Foundation
import Hashing

/// Finds the moves made while Sluice was down: each placement whose file is gone from its path is looked for
/// under `final/` by content hash (same-size files only, when the size is known).
public struct StartupReconciler: Sendable {
    public let recorder: CorrectionRecorder
    /// At most this many files are hashed in one reconciliation (a bound on a huge, unrelated final/ tree).
    public var maximumHashes = 200_000
    /// Asked before each file is hashed: true ends the reconciliation early (the daemon is stopping); what was not
    /// looked at yet is found at the next start.
    public var shouldStop: @Sendable () -> Bool = { false }

    public init(recorder: CorrectionRecorder) {
        self.recorder = recorder
    }

    /// Imports the manifests' placements, then records every move found; returns the corrections it learned.
    @discardableResult
    public func reconcile(manifests: [PlacedImage]) throws -> [Correction] {
        let store = recorder.store
        try store.importPlacements(manifests)
        let placements = try store.allPlacements()
        let known = Set(placements.map(\.finalPath))
        let missing = placements.filter { !FileManager.default.fileExists(atPath: recorder.finalFolder + "/" + $0.finalPath) }
        guard !missing.isEmpty else { return [] }

        // Candidate files: images under final/ at no known path, by size.
        var candidates: [Int64: [String]] = [:]
        for (path, size) in imageFiles() where !known.contains(path) { candidates[size, default: []].append(path) }
        var hashes: [String: String] = [:]
        var hashed = 0
        var learned: [Correction] = []
        for placement in missing {
            let sizes = placement.bytes.map { [$0] } ?? Array(candidates.keys)
            var found: String?
            search: for size in sizes {
                for path in candidates[size] ?? [] {
                    if hashes[path] == nil {
                        guard hashed < maximumHashes, !shouldStop() else { break search }
                        hashes[path] = try? FileDigest.hex(of: recorder.finalFolder + "/" + path)
                        hashed += 1
                    }
                    if hashes[path] == placement.sha256 {
                        found = path
                        break search
                    }
                }
            }
            guard let found else {
                recorder.log("learning: \(placement.finalPath) is gone from final/ (deleted or moved out); nothing learned")
                continue
            }
            if let outcome = try recorder.imageMoved(from: placement.finalPath, to: found) {
                recorder.moveSidecar(image: outcome.previousPath, now: found)
                if let correction = outcome.correction { learned.append(correction) }
            }
        }
        return learned
    }

    /// Every image file under `final/` with its size, relative paths, no symlinks followed, dot-folders skipped.
    private func imageFiles() -> [(String, Int64)] {
        var files: [(String, Int64)] = []
        var queue = [("", 0)]
        while let (folder, depth) = queue.popLast() {
            let absolute = recorder.finalFolder + (folder.isEmpty ? "" : "/" + folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? [] where !name.hasPrefix(".") {
                let relative = folder.isEmpty ? name : folder + "/" + name
                var info = stat()
                guard lstat(absolute + "/" + name, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR, depth < FinalFolderWatcher.maximumDepth { queue.append((relative, depth + 1)) }
                if info.st_mode & S_IFMT == S_IFREG, CorrectionRecorder.isImageName(name) { files.append((relative, Int64(info.st_size))) }
            }
        }
        return files
    }
}
