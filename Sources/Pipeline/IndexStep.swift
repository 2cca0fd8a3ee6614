import Foundation
import Hashing
import Jobs
import SystemIO

/// A: collects the dataset's images, hashes and measures each, and flags duplicates; checkpoints per batch.
struct IndexStep: PipelineStep {
    let inspect: @Sendable (String) throws -> ImageFacts

    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let paths = try DatasetFiles.images(in: context.source, recursive: context.config.index.recursive)
        guard !paths.isEmpty else {
            let origin = context.layout.root.appendingPathComponent(job.origin).path
            return .fail("no images found in \(origin) (looked for .jpg, .jpeg, .png, .webp\(context.config.index.recursive ? ", in subfolders too" : ""))")
        }
        let checkpoint = context.jobFolder.appendingPathComponent("index.partial.json")
        var index = (try? JSONDecoder().decode(DatasetIndex.self, from: Data(contentsOf: checkpoint))) ?? DatasetIndex()
        var seen = Set(index.images.map(\.path) + index.unreadable.map(\.path))
        let batchSize = context.config.index.batchSize
        var sinceCheckpoint = 0

        for path in paths where !seen.contains(path) {
            if context.isCancelled() {
                try save(index, to: checkpoint)
                throw StepInterrupted()
            }
            let file = context.source.appendingPathComponent(path).path
            do {
                let facts = try inspect(file)
                let digest = try FileDigest.hex(of: file)
                let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
                index.images.append(DatasetIndex.Image(
                    path: path, sha256: digest, size: size, width: facts.width, height: facts.height,
                    format: facts.format, perceptualHash: facts.perceptualHash.map { String(format: "%016llx", $0) }))
            } catch {
                index.unreadable.append(DatasetIndex.Unreadable(path: path, reason: "\(error)"))
                job.record(.error, "unreadable image \(file): \(error)", at: context.now())
            }
            seen.insert(path)
            sinceCheckpoint += 1
            context.progress(seen.count, paths.count)
            if sinceCheckpoint >= batchSize {
                try save(index, to: checkpoint)
                sinceCheckpoint = 0
            }
        }
        guard !index.images.isEmpty else {
            return .fail("no readable images in \(context.layout.root.appendingPathComponent(job.origin).path): \(index.unreadable.count) could not be read")
        }
        index.images.sort { $0.path < $1.path }
        index.unreadable.sort { $0.path < $1.path }
        index.findExactDuplicates()
        index.findNearDuplicates(threshold: context.config.index.nearDuplicateDistance)
        try save(index, to: context.indexFile)
        try? FileManager.default.removeItem(at: checkpoint)
        job.progress = Job.Progress(done: index.images.count, total: paths.count)
        var summary = "indexed \(index.images.count) images"
        if !index.unreadable.isEmpty { summary += ", \(index.unreadable.count) unreadable (left out)" }
        if !index.exactDuplicates.isEmpty { summary += ", \(index.exactDuplicates.count) groups of exact duplicates" }
        if !index.nearDuplicates.isEmpty { summary += ", \(index.nearDuplicates.count) near-duplicate pairs" }
        job.record(index.unreadable.isEmpty ? .info : .warning, summary, at: context.now())
        return .success
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

    public init(width: Int, height: Int, format: String, perceptualHash: UInt64?) {
        self.width = width
        self.height = height
        self.format = format
        self.perceptualHash = perceptualHash
    }
}
