import Foundation
import Hashing
import Jobs
import SystemIO

/// A: collects the dataset's images, hashes and measures each, and flags duplicates; checkpoints per batch.
struct IndexStep: PipelineStep {
    let inspect: @Sendable (String) throws -> ImageFacts

    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let admitted = try IndexAdmission.admit(context.folder.source, recursive: context.config.index.recursive)
        IndexAdmission.record(admitted.leftOut, in: &job, at: context.now())
        let paths = admitted.images
        guard !paths.isEmpty else {
            let origin = context.layout.root.appendingPathComponent(job.origin).path
            return .fail("no images found in \(origin) (looked for .jpg, .jpeg, .png, .webp\(context.config.index.recursive ? ", in subfolders too" : ""))")
        }
        let checkpoint = IndexCheckpoint(url: context.folder.indexCheckpoint)
        var index = checkpoint.load()
        index.leftOut = admitted.leftOut
        var seen = Set(index.images.map(\.path) + index.unreadable.map(\.path))
        let batchSize = context.config.index.batchSize

        let pending = paths.filter { !seen.contains($0) }
        var indexedBytes: Int64 = 0
        context.progress(seen.count, paths.count)
        // Both cores inspect images without waiting at batch boundaries; this thread appends what they finished to
        // the checkpoint, about half a batch at a time, while they go on. At most `batchSize` images are ever
        // started and not yet recorded: a kill redoes at most one batch.
        let source = context.folder.source, maxPixels = context.config.index.maxPixels, inspect = inspect
        let finishedAll = try StreamingBatches.run(
            pending, workers: ProcessInfo.processInfo.activeProcessorCount, window: batchSize,
            transform: { path in Self.inspectOne(path, in: source, maxPixels: maxPixels, inspect: inspect) },
            isCancelled: context.isCancelled
        ) { finished in
            let recorded = (images: index.images.count, unreadable: index.unreadable.count)
            for (path, result) in finished {
                switch result {
                case .success(let image):
                    index.images.append(image)
                    indexedBytes += Int64(image.size)
                case .failure(let error):
                    index.unreadable.append(DatasetIndex.Unreadable(path: path, reason: "\(error)"))
                    job.record(.error, "unreadable image \(LogSafeName.escaped(source.appendingPathComponent(path).path)): \(LogSafeName.escaped("\(error)"))", at: context.now())
                }
                seen.insert(path)
            }
            context.progress(seen.count, paths.count, bytes: indexedBytes)
            try checkpoint.append(images: index.images[recorded.images...], unreadable: index.unreadable[recorded.unreadable...])
            CrashPoint.check("index:batch")
        }
        if !finishedAll { throw StepInterrupted() }
        guard !index.images.isEmpty else {
            return .fail("no readable images in \(context.layout.root.appendingPathComponent(job.origin).path): \(index.unreadable.count) could not be read")
        }
        index.images.sort { $0.path < $1.path }
        index.unreadable.sort { $0.path < $1.path }
        index.findExactDuplicates()
        index.findNearDuplicates(threshold: context.config.index.nearDuplicateDistance)
        try save(index, to: context.folder.index)
        checkpoint.remove()
        job.progress = Job.Progress(done: index.images.count, total: paths.count)
        var summary = "indexed \(index.images.count) images"
        if !index.unreadable.isEmpty { summary += ", \(index.unreadable.count) unreadable (left out)" }
        if !index.exactDuplicates.isEmpty { summary += ", \(index.exactDuplicates.count) groups of exact duplicates" }
        if index.nearDuplicatePairCount > 0 { summary += ", \(index.nearDuplicatePairCount) near-duplicate pairs" }
        if !index.leftOut.isEmpty { summary += ", \(index.leftOut.count) files left out unread" }
        job.record(index.unreadable.isEmpty ? .info : .warning, summary, at: context.now())
        return .success
    }

    private static func inspectOne(
        _ path: String, in source: URL, maxPixels: Int, inspect: (String) throws -> ImageFacts
    ) -> Result<DatasetIndex.Image, Error> {
        let file = source.path + "/" + path
        return Result {
            try IndexAdmission.checkPixels(file, maxPixels: maxPixels)
            let facts = try inspect(file)
            // The inspection read the file once and hashed those bytes; re-read only for an inspector that did not.
            let digest = try facts.sha256 ?? FileDigest.hex(of: file)
            let size = try facts.byteCount ?? (FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
            return DatasetIndex.Image(
                path: path, sha256: digest, size: size, width: facts.width, height: facts.height,
                format: facts.format, perceptualHash: facts.perceptualHash.map { String(format: "%016llx", $0) })
        }
    }

    private func save(_ index: DatasetIndex, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileOperations.writeAtomically(try encoder.encode(index), to: url)
    }
}

/// What step A needs to know of one image.
public struct ImageFacts: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let format: String
    public let perceptualHash: UInt64?
    /// SHA-256 (hex) of the bytes inspected, when the inspection read the whole file anyway.
    public let sha256: String?
    /// The file's size in bytes, from the same read.
    public let byteCount: Int?

    public init(width: Int, height: Int, format: String, perceptualHash: UInt64?, sha256: String? = nil, byteCount: Int? = nil) {
        self.width = width
        self.height = height
        self.format = format
        self.perceptualHash = perceptualHash
        self.sha256 = sha256
        self.byteCount = byteCount
    }
}
