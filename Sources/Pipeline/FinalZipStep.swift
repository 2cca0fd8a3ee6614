import Configuration
import Foundation
import Hashing
import Jobs
import SystemIO
import ZipArchive

/// I: the training zip (images stored, captions deflated, flat or kohya layout) and its manifest, in final/.
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
        let entries = files.map { path in
            ZipWriter.Entry(
                sourcePath: context.folder.finalStage.appendingPathComponent(path).path, name: prefix + path,
                compression: DatasetFiles.isImage(path) ? .stored : .deflated)
        }

        if !manager.fileExists(atPath: zip.path) {
            let partial = context.layout.final.appendingPathComponent(".\(name).partial")
            try? manager.removeItem(at: partial)
            // Every entry carries the job's creation time, so a rerun after a crash writes identical entries.
            let writer = try ZipWriter(path: partial.path, timestamp: DOSTimestamp(job.createdAt))
            let half = entries.count / 2
            try writer.addFiles(Array(entries[..<half]))
            CrashPoint.check("final_zip:mid")
            try writer.addFiles(Array(entries[half...]))
            try writer.finish()
            try FileOperations.rename(partial.path, to: zip.path)
            try FileOperations.syncDirectory(at: context.layout.final.path)
        }

        let manifest = try FinalManifest.make(job: job, zip: zip, entries: entries, config: context.config)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try FileOperations.writeAtomically(try encoder.encode(manifest), to: manifestURL)

        job.artifacts.finalZip = zip.path
        job.artifacts.manifest = manifestURL.path
        job.record(.info, "final zip: \(zip.path) (\(manifest.images) images, \(manifest.captions) captions)", at: context.now())
        return .success
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

    static func make(job: Job, zip: URL, entries: [ZipWriter.Entry], config: Configuration.SluiceConfig) throws -> FinalManifest {
        let described = try entries.map { entry in
            let size = (try FileManager.default.attributesOfItem(atPath: entry.sourcePath)[.size] as? NSNumber)?.intValue ?? 0
            return Entry(name: entry.name, size: size, sha256: try FileDigest.hex(of: entry.sourcePath))
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
