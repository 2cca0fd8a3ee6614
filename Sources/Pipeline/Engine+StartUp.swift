import Foundation
import Glibc
import Hashing
import SystemIO

/// What an engine does once, holding the root's lock, before its first reconcile: sweep what a kill left behind and
/// recall which result-zip candidates were already examined.
extension Engine {
    /// The file that remembers examined download candidates (path, size, mtime) across runs and restarts.
    var examinedCandidatesFile: URL { intakeFolder.appendingPathComponent("examined.json") }
    var intakeFolder: URL { layout.state.appendingPathComponent("intake", isDirectory: true) }

    /// Sweeps stale scratch and temp files and loads the examined-candidates ledger; call with the root lock held.
    public func startUp() {
        let removed = LeftoverSweep.run(layout, keeping: examinedCandidatesFile)
        if removed > 0 { logger.info("removed \(removed) temp and scratch files left by an interrupted run") }
        if let data = try? Data(contentsOf: examinedCandidatesFile),
            let keys = try? JSONDecoder().decode([String].self, from: data)
        {
            // Only keys still describing a file as it is now: the ledger never outgrows downloads/.
            examinedCandidates.formUnion(keys.filter { key in
                let parts = key.split(separator: "|", omittingEmptySubsequences: false)
                guard parts.count >= 3 else { return false }
                return Self.candidateKey(URL(fileURLWithPath: parts.dropLast(2).joined(separator: "|"))) == key
            })
        }
    }

    /// Marks a candidate as examined, on disk too, so it is not extracted again on the next run or restart.
    func rememberExamined(_ key: String) {
        guard examinedCandidates.insert(key).inserted else { return }
        do {
            try FileManager.default.createDirectory(at: intakeFolder, withIntermediateDirectories: true)
            try FileOperations.writeAtomically(try JSONEncoder().encode(examinedCandidates.sorted()), to: examinedCandidatesFile)
        } catch {
            logger.warning("could not remember examined downloads in \(examinedCandidatesFile.path): \(error)")
        }
    }

    /// The extraction scratch of one candidate: a stable name (SHA-256 of path, size and mtime) a later run recognizes.
    func scratchFolder(forCandidate key: String) -> URL {
        intakeFolder.appendingPathComponent(LeftoverSweep.scratchPrefix + String(FileDigest.hex(of: Data(key.utf8)).prefix(16)), isDirectory: true)
    }
}

/// Removes what an interrupted run leaves: `TemporaryName` temps anywhere under `.sluice/` and in the user folders
/// Sluice writes into, `.partial` zips (but a final zip's partial its job's checkpoint continues), `.copying`
/// transfers and extraction scratch.
enum LeftoverSweep {
    static let scratchPrefix = ".extracting-"

    /// Returns how many entries were removed. Never follows a symlink (the walker reports and skips them).
    static func run(_ layout: RootLayout, keeping ledger: URL) -> Int {
        let manager = FileManager.default
        var removed = 0
        // Everything in intake/ but the ledger is scratch (older runs named it by a per-process hash).
        let intake = ledger.deletingLastPathComponent()
        for name in (try? manager.contentsOfDirectory(atPath: intake.path)) ?? [] where name != ledger.lastPathComponent {
            if (try? manager.removeItem(at: intake.appendingPathComponent(name))) != nil { removed += 1 }
        }
        var folders = [layout.state.path, layout.final.path, layout.toAutotag.path, layout.review.path, layout.reviewed.path]
        let walker = SafeDirectoryWalker(maxDepth: 16, maxEntries: 1_000_000)
        if let entries = try? walker.walk(layout.state.path) {
            folders += entries.filter { $0.kind == .directory }.map { layout.state.path + "/" + $0.relativePath }
        }
        for folder in [layout.review.path, layout.reviewed.path] {
            for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] { folders.append(folder + "/" + name) }
        }
        // A final zip's partial that its job's checkpoint can continue stays (a checkpoint without its partial goes).
        let resumable = FinalZipCheckpoint.resumablePartials(jobFolders: folders, final: layout.final)
        for folder in folders {
            removed += TemporaryName.sweep(in: folder)
            for name in (try? manager.contentsOfDirectory(atPath: folder)) ?? []
            where isStale(name) && !resumable.contains(folder + "/" + name) {
                if (try? manager.removeItem(atPath: folder + "/" + name)) != nil { removed += 1 }
            }
        }
        return removed
    }

    /// Sluice's own in-progress names: `.<zip>.partial`, `.<name>.copying`, and the temps of older versions
    /// (`.<name>.tmp-<pid>-<random>`).
    static func isStale(_ name: String) -> Bool {
        name.hasPrefix(".") && (name.hasSuffix(".partial") || name.hasSuffix(".copying") || name.contains(".tmp-"))
    }
}

extension Engine {
    /// Whether a download candidate's key (path, size, mtime) was already examined, in this run or an earlier one.
    public func hasExamined(candidateKey key: String) -> Bool { examinedCandidates.contains(key) }
}

extension Engine {
    /// What is wrong with a download whose central directory does not read: still arriving, or never a zip at all.
    static func incompleteZipReason(_ zip: URL) -> String {
        // Non-blocking and not following a link: a FIFO or a symlink named .zip cannot hang or redirect the read.
        var head: [UInt8] = [0, 0, 0, 0]
        let fd = open(zip.path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        if fd >= 0 {
            let got = read(fd, &head, 4)
            close(fd)
            if got < 4 { head = Array(head.prefix(max(got, 0))) }
        }
        if head.starts(with: [0x50, 0x4B]) {
            return "a truncated zip (its central directory does not read); waiting for a complete download"
        }
        let kind = head.starts(with: [0x89, 0x50, 0x4E, 0x47]) ? "a PNG image" : head.starts(with: [0xFF, 0xD8]) ? "a JPEG image" : "something else"
        return "not a zip at all (its bytes are \(kind)); it will never complete: remove it and download the result again"
    }
}
