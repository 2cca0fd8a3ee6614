import Foundation
import SystemIO

/// Makes and reads `review/<drop>__batch-<n>/` folders (layout in CONTRACTS.md): copies of the waiting images, one
/// editable `<image>.tags.txt` each, `.sluice-batch.json` and `REVIEW.md`. A folder appears whole or not at all.
public struct ReviewBatchFolder: Sendable {
    public let reviewFolder: String
    public let reviewedFolder: String
    public let jobID: String

    public init(root: String, jobID: String) {
        reviewFolder = root + "/review"
        reviewedFolder = root + "/reviewed"
        self.jobID = jobID
    }

    /// One waiting image: its record and where its bytes are now.
    public struct Item: Sendable {
        public var record: ImageRecord
        public var sourcePath: String
        public var reason: String
    }

    /// Writes the batch folder (or adopts the one a killed run already finished) and returns its record.
    public func write(batch: Int, dropName: String, items: [Item]) throws -> ReviewBatchRecord {
        let folderName = "\(dropName)__batch-\(batch + 1)"
        let target = reviewFolder + "/" + folderName
        if let existing = try? manifest(at: target), existing.job == jobID, existing.batch == batch + 1 {
            return ReviewBatchRecord(
                batch: batch, folderName: folderName, files: Dictionary(uniqueKeysWithValues: zip(items.map(\.record.path), existing.images.map(\.file))),
                decided: false)
        }
        let staging = reviewFolder + "/" + Self.stagingName(of: folderName, pid: getpid())
        try? FileManager.default.removeItem(atPath: staging)
        try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
        var files: [String: String] = [:]
        var taken = Set<String>()
        var images: [ReviewBatchManifest.Image] = []
        var review = "# Review: \(dropName), batch \(batch + 1)\n\n"
        review += "Edit `<image>.tags.txt` (one `category:tag` per line) to change an image's tags; delete it to reject them\n"
        review += "(the image is still organized, untagged). Then touch `RESUME` here, or move this folder to reviewed/,\n"
        review += "and the daemon goes on (after `sluice library run`, run it again).\n\n| image | source | similarity | why it waits |\n|---|---|---|---|\n"
        for item in items {
            let name = NumberedName.free(for: (item.record.path as NSString).lastPathComponent) { taken.contains($0.lowercased()) }
            taken.insert(name.lowercased())
            files[item.record.path] = name
            try FileManager.default.copyItem(atPath: item.sourcePath, toPath: staging + "/" + name)
            CrashPoint.check("review-image-staged")
            // Most confident first (stable: the lookup's order among equals), analysis tags included.
            let tags = item.record.candidateTags().enumerated()
                .sorted { ($0.element.confidence ?? -1, -$0.offset) > ($1.element.confidence ?? -1, -$1.offset) }.map(\.element)
            try Data((tags.map(\.line).joined(separator: "\n") + (tags.isEmpty ? "" : "\n")).utf8)
                .write(to: URL(fileURLWithPath: staging + "/" + name + ".tags.txt"))
            let facts = item.record.facts
            images.append(
                ReviewBatchManifest.Image(
                    file: name, bytes: facts?.bytes ?? 0, width: facts?.width ?? 0, height: facts?.height ?? 0,
                    source: item.record.source, similarity: item.record.lookup?.similarity,
                    tags: tags.map { ReviewBatchManifest.Tag(category: $0.category, tag: $0.name, confidence: $0.confidence, source: $0.source) }))
            let similarity = item.record.lookup?.similarity.map { String(format: "%.1f%%", $0) } ?? "–"
            review += "| \(name) | \(item.record.source ?? "–") | \(similarity) | \(item.reason) |\n"
        }
        review += "\n## Decisions\n"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(ReviewBatchManifest(job: jobID, batch: batch + 1, images: images))
            .write(to: URL(fileURLWithPath: staging + "/.sluice-batch.json"))
        try Data(review.utf8).write(to: URL(fileURLWithPath: staging + "/REVIEW.md"))
        try FileOperations.rename(staging, to: target)
        try? FileOperations.syncDirectory(at: reviewFolder)
        return ReviewBatchRecord(batch: batch, folderName: folderName, files: files, decided: false)
    }

    /// The name a batch folder is written under before its rename: `.<folder>.tmp-<pid>`.
    static func stagingName(of folderName: String, pid: Int32) -> String { ".\(folderName).tmp-\(pid)" }

    /// The writer's pid when `name` is a batch folder's staging name, nil for any other name.
    static func stagingPID(of name: String) -> Int32? {
        guard name.hasPrefix("."), name.contains("__batch-"), let marker = name.range(of: ".tmp-", options: .backwards) else { return nil }
        let digits = name[marker.upperBound...]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let pid = Int32(digits) else { return nil }
        return pid
    }

    /// Removes the staging folders under review/ that a killed run left (their writer is gone); returns how many.
    /// Only Sluice's own staging names are touched, and never one a live process is still writing.
    @discardableResult
    public func sweepStaging() -> Int {
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: reviewFolder)) ?? [] {
            guard let pid = Self.stagingPID(of: name), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            if (try? FileManager.default.removeItem(atPath: reviewFolder + "/" + name)) != nil { removed += 1 }
        }
        return removed
    }

    /// Where the approved batch is (its `RESUME` touched, or moved to reviewed/ under any name), nil while it waits.
    public func approvedFolder(of batch: ReviewBatchRecord) -> String? {
        let inReview = reviewFolder + "/" + batch.folderName
        if FileManager.default.fileExists(atPath: inReview + "/RESUME") { return inReview }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: reviewedFolder) else { return nil }
        for name in names.sorted() {
            let folder = reviewedFolder + "/" + name
            if let manifest = try? manifest(at: folder), manifest.job == jobID, manifest.batch == batch.batch + 1 { return folder }
        }
        return nil
    }

    /// The user's decision per image: the tags in its `.tags.txt`, or nil when the file was deleted (rejected).
    public func decisions(in folder: String, batch: ReviewBatchRecord) -> [String: [LibraryTag]?] {
        var result: [String: [LibraryTag]?] = [:]
        for (path, file) in batch.files {
            result[path] = .some(TagsFile.read(besides: folder + "/" + file))
        }
        return result
    }

    /// Removes a decided batch folder: it holds only copies, and its decisions are in the checkpoint.
    public func remove(_ folder: String) {
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func manifest(at folder: String) throws -> ReviewBatchManifest {
        try JSONDecoder().decode(ReviewBatchManifest.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/.sluice-batch.json")))
    }
}
