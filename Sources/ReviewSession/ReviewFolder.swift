import Foundation
import Jobs
import Imaging

/// A review folder on disk and the images in it, read the way the folder contract lays them out.
public struct ReviewFolder: Sendable {
    public let url: URL
    public let kind: ReviewKind
    /// Where the captions' pre-normalization backups are (dataset jobs: `.sluice/jobs/<id>/backups/normalize/`).
    public let normalizationBackups: URL?
    /// Image metadata from `.sluice-batch.json` (library batches), by file name.
    let manifest: [String: BatchManifest.Image]
    /// The images in review order.
    public let files: [String]

    /// At most this many images are read from one folder; a bigger one is refused rather than half-shown.
    public static let maximumImages = 100_000

    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif", "avif"]

    /// Opens `url` as a library batch (it holds `.sluice-batch.json`) or a dataset review (it holds `.sluice-job`).
    public static func open(_ url: URL, normalizationBackups: URL? = nil) throws -> ReviewFolder {
        let manager = FileManager.default
        let manifestURL = url.appendingPathComponent(BatchManifest.fileName)
        if manager.fileExists(atPath: manifestURL.path) {
            let manifest: BatchManifest
            do { manifest = try JSONDecoder().decode(BatchManifest.self, from: Data(contentsOf: manifestURL)) } catch {
                throw ReviewError.malformed(file: manifestURL.path, reason: "\(error)")
            }
            guard manifest.images.count <= maximumImages else {
                throw ReviewError.malformed(file: manifestURL.path, reason: "more than \(maximumImages) images")
            }
            let present = manifest.images.filter {
                !$0.file.contains("/") && !$0.file.hasPrefix(".") && manager.fileExists(atPath: url.appendingPathComponent($0.file).path)
            }
            return ReviewFolder(
                url: url, kind: .libraryBatch, normalizationBackups: nil,
                manifest: Dictionary(present.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first }),
                files: present.map(\.file))
        }
        let note = url.appendingPathComponent(ReviewFolderFiles.jobTag)
        guard let jobID = try? String(contentsOf: note, encoding: .utf8) else {
            throw ReviewError.notAReviewFolder(path: url.path)
        }
        let files = try imageFiles(in: url)
        return ReviewFolder(
            url: url, kind: .datasetJob(id: jobID.trimmingCharacters(in: .whitespacesAndNewlines)),
            normalizationBackups: normalizationBackups, manifest: [:], files: files)
    }

    /// Every image under `folder` (not following symlinks, skipping dot-names), sorted by path.
    static func imageFiles(in folder: URL) throws -> [String] {
        var found: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? folder : folder.appendingPathComponent(relative)
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { continue }
            for name in names where !name.hasPrefix(".") && !name.hasSuffix("~") {
                let path = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(folder.appendingPathComponent(path).path, &info) == 0 else { continue }
                if (info.st_mode & S_IFMT) == S_IFDIR, path.split(separator: "/").count < 8 {
                    pending.append(path)
                } else if (info.st_mode & S_IFMT) == S_IFREG,
                    imageExtensions.contains((name as NSString).pathExtension.lowercased())
                {
                    found.append(path)
                    if found.count > maximumImages {
                        throw ReviewError.malformed(file: folder.path, reason: "more than \(maximumImages) images")
                    }
                }
            }
        }
        return found.sorted()
    }

    /// The decision file of `image`.
    public func decisionFile(of image: String) -> URL { url.appendingPathComponent(kind.decisionFile(for: image)) }

    /// Reads one image's entry: the decision file as it is now, with the manifest's confidences and facts.
    public func load(_ file: String) -> (image: ReviewImage, fingerprint: FileFingerprint) {
        let fingerprint = FileFingerprint.of(decisionFile(of: file))
        var tags = kind.parse(fingerprint.text ?? "")
        let entry = manifest[file]
        if let entry {
            for index in tags.indices {
                let known = entry.tags.first { $0.category == tags[index].category && $0.tag == tags[index].name }
                tags[index].confidence = known?.confidence
                tags[index].source = known?.source
            }
        }
        var before: [String]? = nil
        if let backups = normalizationBackups {
            let backup = backups.appendingPathComponent(kind.decisionFile(for: file))
            if let text = try? String(contentsOf: backup, encoding: .utf8) {
                before = ReviewKind.captionTags(String(text.split(whereSeparator: \.isNewline).first ?? ""))
            }
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: url.appendingPathComponent(file).path)[.size] as? Int) ?? 0
        var image = ReviewImage(
            file: file, bytes: entry?.bytes ?? bytes, width: entry?.width, height: entry?.height,
            source: entry?.source, similarity: entry?.similarity, tags: tags, captionBeforeNormalization: before)
        if image.width == nil, let header = try? ImageHeader.read(path: url.appendingPathComponent(file).path) {
            image.width = header.width
            image.height = header.height
        }
        return (image, fingerprint)
    }
}
