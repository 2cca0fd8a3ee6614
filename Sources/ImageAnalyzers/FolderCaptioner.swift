import ContentAnalysis
import ExifMetadata
import Foundation
import Hashing
import Imaging
import SystemIO

/// `pipeline.autotag: local`: captions every image of a dataset folder with the configured analyzers instead of
/// CivitAI's round trip, writing `<image stem>.txt` beside each image as comma-separated tags.
public struct FolderCaptioner: Sendable {
    public let analyzers: AnalyzerSet
    /// Where a caption that was already there is copied before being replaced (mirroring the dataset's folders).
    public let backupDirectory: URL

    public init(analyzers: AnalyzerSet, backupDirectory: URL) {
        self.analyzers = analyzers
        self.backupDirectory = backupDirectory
    }

    /// What one run did; every image of the folder is in exactly one of the lists.
    public struct Report: Equatable, Sendable {
        /// Relative paths of images that got a caption.
        public var captioned: [String] = []
        /// Relative paths of images no analyzer answered for, with the reasons; their captions are left as they were.
        public var notCaptioned: [(image: String, reason: String)] = []
        /// Relative paths of captions copied to the backup folder before being replaced.
        public var backedUp: [String] = []

        public static func == (lhs: Report, rhs: Report) -> Bool {
            lhs.captioned == rhs.captioned && lhs.backedUp == rhs.backedUp
                && lhs.notCaptioned.map(\.image) == rhs.notCaptioned.map(\.image)
                && lhs.notCaptioned.map(\.reason) == rhs.notCaptioned.map(\.reason)
        }
    }

    /// Image file extensions captioned (any case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png", "webp", "gif"]

    /// Captions every image under `folder` (subfolders too, dot-folders and symbolic links skipped), in name order.
    /// Running it again after an interruption gives the same captions; a backup is made only once, so the user's
    /// own caption stays the one in the backup folder.
    /// - Parameter progress: called after each image with (done, total).
    public func caption(folder: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> Report {
        let images = try Self.images(in: folder)
        var report = Report()
        for (index, relative) in images.enumerated() {
            let image = folder.appendingPathComponent(relative)
            switch await captionText(for: image.path) {
            case .failure(let reason):
                report.notCaptioned.append((relative, reason.description))
            case .success(let text):
                let caption = Self.captionPath(of: relative)
                let existing = folder.appendingPathComponent(caption)
                let content = Data((text + "\n").utf8)
                // Already written by an earlier, interrupted run: nothing to back up or rewrite.
                if (try? Data(contentsOf: existing)) == content {
                    report.captioned.append(relative)
                    progress?(index + 1, images.count)
                    continue
                }
                if FileManager.default.fileExists(atPath: existing.path) {
                    let backup = backupDirectory.appendingPathComponent(caption)
                    if !FileManager.default.fileExists(atPath: backup.path) {
                        try FileManager.default.createDirectory(
                            at: backup.deletingLastPathComponent(), withIntermediateDirectories: true)
                        try FileOperations.writeAtomically(try Data(contentsOf: existing), to: backup)
                        report.backedUp.append(caption)
                    }
                }
                try FileOperations.writeAtomically(content, to: existing)
                report.captioned.append(relative)
            }
            progress?(index + 1, images.count)
        }
        return report
    }

    /// The caption for one image: every analyzer's tags, by category (character, copyright, artist, general, then
    /// the rest) and confidence; an error when no analyzer answered.
    func captionText(for path: String) async -> Result<String, CaptionFailure> {
        let request: AnalysisRequest
        do {
            request = try Self.request(for: path)
        } catch {
            return .failure(CaptionFailure(description: "\(error)"))
        }
        let outcomes = await analyzers.analyze(request)
        let answers = outcomes.compactMap(\.outcome.answer)
        guard !answers.isEmpty else {
            let reasons = outcomes.compactMap { item -> String? in
                if case .notAnalyzed(let reason) = item.outcome { return reason }
                return nil
            }
            return .failure(CaptionFailure(description: reasons.isEmpty ? "no analyzer is configured" : reasons.joined(separator: "; ")))
        }
        return .success(Self.caption(from: answers.flatMap(\.tags)))
    }

    /// Tags joined as a booru caption, duplicates (by name) dropped, the rating category left out.
    static func caption(from tags: [AnalysisTag]) -> String {
        let order = ["character", "copyright", "artist", "general"]
        let sorted = tags.filter { $0.category != "rating" }.enumerated().sorted { first, second in
            let a = order.firstIndex(of: first.element.category) ?? order.count
            let b = order.firstIndex(of: second.element.category) ?? order.count
            if a != b { return a < b }
            if first.element.confidence != second.element.confidence {
                return first.element.confidence > second.element.confidence
            }
            return first.offset < second.offset
        }
        var seen: Set<String> = []
        return sorted.map(\.element.name).filter { seen.insert($0).inserted }.joined(separator: ", ")
    }

    /// The request for one image: its absolute path, SHA-256 and upright size from the header.
    static func request(for path: String) throws -> AnalysisRequest {
        let sha256 = try FileDigest.hex(of: path)
        let width: Int, height: Int
        if let header = try? ImageHeader.read(path: path) {
            let orientation = (try? ExifFacts.read(from: path))?.orientation ?? 1
            (width, height) = header.uprightSize(orientation: orientation)
        } else if let handle = FileHandle(forReadingAtPath: path),
            let head = try? handle.read(upToCount: 16), let size = AnimationProbe.gifSize([UInt8](head))
        {
            try? handle.close()
            (width, height) = size
        } else {
            throw CaptionFailure(description: "\(path): not a JPEG, PNG, WebP or GIF image")
        }
        return AnalysisRequest(path: path, sha256: sha256, width: width, height: height)
    }

    /// `a/b.png` → `a/b.txt`.
    static func captionPath(of image: String) -> String {
        (image as NSString).deletingPathExtension + ".txt"
    }

    /// Relative paths of the images under `folder`, sorted; dot-entries and symbolic links are skipped.
    static func images(in folder: URL) throws -> [String] {
        var found: [String] = []
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? folder.path : folder.path + "/" + relative
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) where !name.hasPrefix(".") {
                let child = relative.isEmpty ? name : relative + "/" + name
                let attributes = try FileManager.default.attributesOfItem(atPath: folder.path + "/" + child)
                switch attributes[.type] as? FileAttributeType {
                case .typeDirectory?: pending.append(child)
                case .typeRegular? where imageExtensions.contains((name as NSString).pathExtension.lowercased()):
                    found.append(child)
                default: break
                }
            }
        }
        return found.sorted()
    }
}
