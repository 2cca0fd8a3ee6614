import Foundation
import Hashing
import Jobs
import SystemIO
import ZipArchive

/// B: zips the images only (stored) into to-autotag/ for the external auto-tagger, with an instruction file, and
/// keeps a manifest that maps every entry back to its original.
struct AutotagZipStep: PipelineStep {
    /// Returns a metadata-stripped copy's path for an image, or nil to upload the original bytes.
    let stripMetadata: @Sendable (_ original: String, _ scratchFolder: URL) throws -> String?

    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let name = job.artifacts.autotagZip.map { ($0 as NSString).lastPathComponent }
            ?? "\(job.dataset)__for_autotag__\(FinalZipStep.timestamp(context.now())).zip"
        let zip = context.layout.toAutotag.appendingPathComponent(name)
        job.artifacts.autotagZip = zip.path
        try context.checkpoint(job)
        if manager.fileExists(atPath: zip.path) && manager.fileExists(atPath: context.folder.uploadManifest.path) {
            return .success
        }

        let index = try context.requireIndex()
        let scratch = context.folder.uploadCopies
        try? manager.removeItem(at: scratch)
        var used: Set<String> = []
        var writerEntries: [ZipWriter.Entry] = []
        var manifestEntries: [UploadManifest.Entry] = []
        for image in index.images {
            let original = context.folder.source.appendingPathComponent(image.path).path
            var uploaded = original
            var digest = image.sha256
            var size = image.size
            if context.config.autotag.stripMetadata, let stripped = try stripMetadata(original, scratch) {
                uploaded = stripped
                digest = try FileDigest.hex(of: stripped)
                size = (try manager.attributesOfItem(atPath: stripped)[.size] as? NSNumber)?.intValue ?? size
            }
            let entry = Self.uniqueEntryName(for: image.path, used: &used)
            writerEntries.append(ZipWriter.Entry(sourcePath: uploaded, name: entry, compression: .stored))
            manifestEntries.append(UploadManifest.Entry(
                entry: entry, original: image.path, sha256: digest, size: size, width: image.width, height: image.height,
                perceptualHash: image.perceptualHash))
        }

        try manager.createDirectory(at: context.layout.toAutotag, withIntermediateDirectories: true)
        let partial = context.layout.toAutotag.appendingPathComponent(".\(name).partial")
        try? manager.removeItem(at: partial)
        let writer = try ZipWriter(path: partial.path, timestamp: DOSTimestamp(job.createdAt))
        try writer.addFiles(writerEntries)
        try writer.finish()
        try UploadManifest(zip: name, createdAt: context.now(), entries: manifestEntries).save(in: context.folder)
        try FileOperations.writeAtomically(Data(instructions(job, zip: zip, context).utf8), to: zip.deletingPathExtension().appendingPathExtension("txt"))
        try FileOperations.rename(partial.path, to: zip.path)
        try? manager.removeItem(at: scratch)
        job.record(.info, "upload zip for the auto-tagger: \(zip.path) (\(writerEntries.count) images)", at: context.now())
        return .success
    }

    /// Flat names (CivitAI flattens anyway): subfolders joined with `__`, made unique, extension kept.
    static func uniqueEntryName(for path: String, used: inout Set<String>) -> String {
        let flat = path.replacingOccurrences(of: "/", with: "__")
        var candidate = flat
        var counter = 2
        while !used.insert(candidate.lowercased()).inserted {
            candidate = "\((flat as NSString).deletingPathExtension)_\(counter).\((flat as NSString).pathExtension)"
            counter += 1
        }
        return candidate
    }

    private func instructions(_ job: Job, zip: URL, _ context: StepContext) -> String {
        let extra = context.config.downloads.extraDirectories
        let whereTo = ([context.layout.downloads.path + "/"] + extra).joined(separator: " or ")
        return """
            Sluice job \(job.id): the images of "\(job.dataset)", ready for the auto-tagger.

            1. Open \(context.config.autotag.uploadURL) (CivitAI: train a LoRA) and upload
               \(zip.lastPathComponent) as the training data (or run `sluice open \(job.id)`).
            2. Let it auto-label the images; review there only if you want to.
            3. Download the labeled training data (a zip named like 12345_training_data.zip) into
               \(whereTo)

            Sluice then maps every returned caption back to its original image (CivitAI renames files to
            000.png, 001.jpg, …; Sluice matches them by content), normalizes the tags, and puts the dataset in
            review/\(job.dataset)/ for you. `sluice status` shows what the job waits for.

            """
    }
}
