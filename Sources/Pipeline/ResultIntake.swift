import Configuration
import Foundation
import Hashing
import Jobs
import ResultMatching
import SystemIO
import ZipArchive

/// Step D's eyes: finds result zips in downloads/ (and the configured extra folders), extracts each safely into a
/// scratch folder, fingerprints the images, and hands the result to the waiting job whose manifest it matches.
struct ResultIntake {
    let layout: RootLayout
    let config: SluiceConfig
    let inspectImage: @Sendable (String) throws -> ImageFacts

    /// A candidate's extracted, fingerprinted content.
    struct Examined {
        let zip: URL
        let extracted: URL
        let images: [ResultImage]
        /// Images that could not be decoded: reported as unmatched, never guessed.
        let undecodable: [String]
        let otherFiles: [String]
    }

    /// Zips that may be results: matching the pattern, not temporary, modified after `since`, settled and complete.
    func candidates(since: Date, isSettled: (URL) -> Bool, incomplete: (URL) -> Void = { _ in }) -> [URL] {
        var folders = [layout.downloads]
        folders += config.downloads.extraDirectories.map { URL(fileURLWithPath: ($0 as NSString).expandingTildeInPath) }
        var found: [URL] = []
        for folder in folders {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names.sorted() where !DatasetFiles.isIgnoredName(name) && name.lowercased().hasSuffix(".zip") {
                guard ResultIntake.matches(name, pattern: config.downloads.pattern) else { continue }
                let url = folder.appendingPathComponent(name)
                guard let modified = modificationDate(url), modified >= since.addingTimeInterval(-5) else { continue }
                guard isSettled(url) else { continue }
                guard ZipReader.isComplete(url.path) else {
                    incomplete(url)
                    continue
                }
                found.append(url)
            }
        }
        return found
    }

    /// The `downloads.pattern`: a glob, or a regular expression after `re:`.
    static func matches(_ name: String, pattern: String) -> Bool {
        if pattern.hasPrefix("re:") {
            guard let regex = try? NSRegularExpression(pattern: String(pattern.dropFirst(3))) else { return false }
            return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
        }
        return fnmatch(pattern.lowercased(), name.lowercased(), 0) == 0
    }

    /// Extracts with the untrusted-archive limits into `scratch` (which is replaced) and fingerprints every image.
    func examine(_ zip: URL, scratch: URL) throws -> Examined {
        try? FileManager.default.removeItem(at: scratch)
        try FileManager.default.createDirectory(at: scratch.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Only what the job can use is written (images and captions); the archive-wide ratio cap still covers all.
        let files = try ZipReader(path: zip.path).extractAll(into: scratch.path, limits: ZipExtractionLimits()) { entry in
            DatasetFiles.isImage(entry.name) || entry.name.lowercased().hasSuffix(".txt")
        }
        var images: [ResultImage] = []
        var undecodable: [String] = []
        var others: [String] = []
        for name in files.sorted() {
            let path = scratch.appendingPathComponent(name).path
            if DatasetFiles.isImage(name) {
                guard let facts = try? inspectImage(path), let hash = facts.perceptualHash else {
                    undecodable.append(name)
                    continue
                }
                images.append(ResultImage(
                    name: name, sha256: try facts.sha256 ?? FileDigest.hex(of: path), width: facts.width, height: facts.height, perceptualHash: hash))
            } else if !name.lowercased().hasSuffix(".txt") {
                others.append(name)
            }
        }
        return Examined(zip: zip, extracted: scratch, images: images, undecodable: undecodable, otherFiles: others)
    }

    private func modificationDate(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    /// Whether a result zip sits in the root's own downloads/ (moved into the job) or the user's folder (copied).
    func isInRootDownloads(_ zip: URL) -> Bool {
        zip.deletingLastPathComponent().standardizedFileURL.path == layout.downloads.standardizedFileURL.path
    }
}
