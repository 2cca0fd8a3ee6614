import Configuration
import Foundation
import Hashing
import Jobs
import SystemIO
import ZipArchive

/// I: the training zip (images stored, captions deflated, flat or kohya layout) and its manifest, in final/.
///
/// The zip is written as `final/.<name>.partial` in chunks, each made durable and then recorded in the job's
/// `FinalZipCheckpoint`; a restart after a kill continues the partial after the last recorded chunk.
struct FinalZipStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let name = job.artifacts.finalZipName ?? Self.zipName(dataset: job.dataset, at: context.now())
        job.artifacts.finalZipName = name
        try context.checkpoint(job)

        try manager.createDirectory(at: context.layout.final, withIntermediateDirectories: true)
        let zip = context.layout.final.appendingPathComponent(name)
        let manifestURL = context.layout.final.appendingPathComponent(Self.manifestName(forZip: name))
        let files = try DatasetFiles.files(in: context.folder.finalStage, recursive: true)
        let prefix = context.config.final.layout == .kohya ? "\(context.config.final.repeats)_\(job.dataset)/" : ""
        // Images that are still the files step A hashed keep its SHA-256: the zip writer does not hash them again.
        let indexed = context.index.map { IndexedDigests(index: $0, source: context.folder.source, finalStage: context.folder.finalStage) }
        let entries = files.map { path in
            let isImage = DatasetFiles.isImage(path)
            return ZipWriter.Entry(
                sourcePath: context.folder.finalStage.path + "/" + path, name: prefix + path,
                compression: isImage ? .stored : .deflated, knownSHA256: isImage ? indexed?.sha256(of: path) : nil)
        }

        var written: [ZipWriter.Written]?
        let checkpoint = FinalZipCheckpoint(url: context.folder.finalZipCheckpoint)
        if !manager.fileExists(atPath: zip.path) {
            let partial = FinalZipCheckpoint.partialURL(forZip: name, in: context.layout.final)
            let header = FinalZipCheckpoint.Header(zip: name, entries: entries)
            // Every entry carries the job's creation time, so a rerun after a crash writes identical entries.
            // Each entry's SHA-256 is computed while it streams into the zip, so the manifest needs no second read.
            let (writer, recorded) = try openWriter(
                partial: partial, header: header, checkpoint: checkpoint, timestamp: DOSTimestamp(job.createdAt),
                job: &job, context: context)
            let half = entries.count / 2
            let resumed = recorded.count
            var digests = recorded
            var bytes: Int64 = 0
            var isFirstChunk = true
            context.progress(resumed, entries.count)
            for (position, part) in [resumed..<max(resumed, half), max(resumed, half)..<entries.count].enumerated() {
                if position == 1 { CrashPoint.check("final_zip:mid") }
                for chunk in part.chunked(by: Self.chunkSize) {
                    let added = try writer.addFiles(Array(entries[chunk]))
                    // The entries' bytes are durable before the line that records them, so the line never lies.
                    try checkpoint.append(offset: try writer.sync(), written: added)
                    if isFirstChunk { CrashPoint.check("final_zip:batch") }
                    isFirstChunk = false
                    digests += added
                    bytes += added.reduce(0) { $0 + Int64($1.size) }
                    context.progress(digests.count, entries.count, bytes: bytes)
                }
            }
            try writer.finish()
            try FileOperations.rename(partial.path, to: zip.path)
            try FileOperations.syncDirectory(at: context.layout.final.path)
            written = digests
        }
        checkpoint.remove()

        let manifest = try FinalManifest.make(job: job, zip: zip, entries: entries, written: written, config: context.config)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try FileOperations.writeAtomically(try encoder.encode(manifest), to: manifestURL)

        job.artifacts.finalZip = zip.path
        job.artifacts.manifest = manifestURL.path
        job.record(.info, "final zip: \(zip.path) (\(manifest.images) images, \(manifest.captions) captions)", at: context.now())
        return .success
    }

    /// Entries added between two checkpoints (and progress reports): a restart after a kill redoes at most this many.
    /// `SLUICE_FINAL_ZIP_BATCH` overrides it; that is a test hook (so a small test dataset makes several chunks), not
    /// a setting.
    static let chunkSize: Int = {
        let hook = ProcessInfo.processInfo.environment["SLUICE_FINAL_ZIP_BATCH"].flatMap { Int($0) }
        return min(max(hook ?? 500, 1), 100_000)
    }()

    /// A writer continuing the partial where the checkpoint says it reached, when the two agree, with the entries
    /// already in it; otherwise a fresh partial and checkpoint (the job log says why a checkpoint was not used).
    private func openWriter(
        partial: URL, header: FinalZipCheckpoint.Header, checkpoint: FinalZipCheckpoint, timestamp: DOSTimestamp,
        job: inout Job, context: StepContext
    ) throws -> (ZipWriter, [ZipWriter.Written]) {
        if let recorded = checkpoint.load() {
            let refusal: String
            if recorded.header != header {
                refusal = "its checkpoint was made for another zip or other entries"
            } else {
                do {
                    let writer = try ZipWriter(
                        resuming: partial.path, at: recorded.offset, written: recorded.written, timestamp: timestamp,
                        computesSHA256: true)
                    job.record(
                        .info, "final zip: resumed at entry \(recorded.written.count) of \(header.entries) (\(recorded.offset) bytes kept)",
                        at: context.now())
                    return (writer, recorded.written)
                } catch {
                    refusal = "\(error)"
                }
            }
            job.record(.warning, "final zip: not resuming the partial zip (\(refusal)); writing it from the start", at: context.now())
        }
        try? FileManager.default.removeItem(at: partial)
        let writer = try ZipWriter(path: partial.path, timestamp: timestamp, computesSHA256: true)
        try checkpoint.start(header)
        return (writer, [])
    }

    /// `<dataset>__final__<YYYYMMDD-HHMMSS>.zip`, in local time as the user reads it.
    static func zipName(dataset: String, at date: Date) -> String {
        "\(dataset)__final__\(timestamp(date)).zip"
    }

    /// `YYYYMMDD-HHMMSS` in local time, as file names show it to the user.
    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }

    static func manifestName(forZip name: String) -> String {
        (name as NSString).deletingPathExtension + ".manifest.json"
    }
}

/// The manifest beside a final zip: what is inside, with hashes, and how it was made.
struct FinalManifest: Codable {
    struct Entry: Codable {
        let name: String
        let size: Int
        let sha256: String
    }

    let dataset: String
    let job: String
    let createdAt: Date
    let zip: String
    let layout: String
    let preset: String
    /// SHA-256 of the preset's resolved JSON, fixed when the job started (absent for jobs older than that record).
    let presetSHA256: String?
    let images: Int
    let captions: Int
    let entries: [Entry]

    /// - Parameter written: what the zip writer reported for `entries` (same order) when it just wrote them; nil
    ///   after a restart found the zip already written, and then each source is hashed again.
    static func make(
        job: Job, zip: URL, entries: [ZipWriter.Entry], written: [ZipWriter.Written]?, config: Configuration.SluiceConfig
    ) throws -> FinalManifest {
        let described = try entries.enumerated().map { position, entry in
            if let written, written.count == entries.count, let sha256 = written[position].sha256 {
                return Entry(name: entry.name, size: Int(written[position].size), sha256: sha256)
            }
            let size = (try FileManager.default.attributesOfItem(atPath: entry.sourcePath)[.size] as? NSNumber)?.intValue ?? 0
            return Entry(name: entry.name, size: size, sha256: try entry.knownSHA256 ?? FileDigest.hex(of: entry.sourcePath))
        }
        let images = entries.filter { DatasetFiles.isImage($0.name) }.count
        return FinalManifest(
            dataset: job.dataset, job: job.id, createdAt: job.createdAt, zip: zip.lastPathComponent,
            layout: config.final.layout.rawValue, preset: job.preset?.name ?? config.normalize.preset,
            presetSHA256: job.preset?.sha256, images: images,
            captions: entries.count - images, entries: described)
    }
}

extension DOSTimestamp {
    /// The DOS date and time of a moment, in UTC so the same job gives the same entries on any machine.
    init(_ date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        self.init(
            year: max(1980, parts.year ?? 1980), month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
            minute: parts.minute ?? 0, second: parts.second ?? 0)
    }
}
