import Foundation
import Jobs
import SystemIO

/// H: applies the final caption rules to the reviewed dataset into a staging folder; the user's files stay as edited.
struct FinalCleanupStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let input = manager.fileExists(atPath: context.folder.reviewedCopy.path) ? context.folder.reviewedCopy : context.folder.source
        let staging = context.folder.finalStaging
        // A kill mid-step leaves the staging folder (or, once renamed, the whole stage, when the job was not saved
        // yet): a restart keeps what is whole there and redoes only the rest, at most the batch that was in flight.
        // A failed step's staging was removed (StepFailureCleanup), so a retry starts afresh.
        if manager.fileExists(atPath: context.folder.finalStage.path) {
            if manager.fileExists(atPath: staging.path) {
                try? manager.removeItem(at: context.folder.finalStage)
            } else {
                try FileOperations.rename(context.folder.finalStage.path, to: staging.path)
            }
        }
        let resuming = manager.fileExists(atPath: staging.path)
        try manager.createDirectory(at: staging, withIntermediateDirectories: true)

        let scan = try DatasetFiles.scan(input, recursive: true)
        IndexAdmission.record(scan.leftOut, in: &job, at: context.now())
        let files = scan.files
        let images = files.filter(DatasetFiles.isImage)
        let imageCaptions = Set(images.map(DatasetFiles.captionPath(forImage:)))
        let unreadable = Set((context.index?.unreadable ?? []).map(\.path))
        var missing: [String] = []
        var empty: [String] = []
        var written = 0

        var staged = StagingWriter(root: staging)
        let total = images.count - images.filter(unreadable.contains).count
        context.progress(0, total)
        var kept = 0
        for image in images where !unreadable.contains(image) {
            let captionName = DatasetFiles.captionPath(forImage: image)
            let captionFile = input.appendingPathComponent(captionName, isDirectory: false)
            if resuming, let earlier = StagedPair.find(
                image: image, caption: captionName, input: input, staging: staging,
                isFinal: { (try? context.captionRules.finalCaption($0, file: captionFile.path)) == $0 })
            {
                // Staged whole by the killed run, from the input as it still is: recorded as that run did.
                if earlier.inputCaption == .notRegular {
                    job.record(.warning, "left out \(LogSafeName.escaped(captionFile.path)): not a regular file (a symlink is never followed)", at: context.now())
                }
                if earlier.inputCaption != .regular { missing.append(image) }
                if earlier.captionIsEmpty { empty.append(image) }
                written += 1
                kept += 1
                continue
            }
            var text = ""
            var isFinalAlready = false
            let contents = try StagingWriter.contents(of: captionFile)
            if case .notRegular = contents {
                // A symlink (or special file) put into the review folder: never read, named, treated as missing.
                job.record(.warning, "left out \(LogSafeName.escaped(captionFile.path)): not a regular file (a symlink is never followed)", at: context.now())
            }
            if case .bytes(let raw) = contents {
                guard let decoded = String(validating: raw, as: UTF8.self) else {
                    return .fail("\(captionFile.path): not UTF-8 text; save it as UTF-8 and `sluice retry \(job.id)`")
                }
                text = try context.captionRules.finalCaption(decoded, file: captionFile.path)
                isFinalAlready = text.utf8.elementsEqual(raw)
            } else {
                missing.append(image)
                if context.config.final.missingCaption == .fail { continue }
            }
            if text.isEmpty { empty.append(image) }
            // A link is enough here: the final stage is only read, by the zip writer.
            try staged.link(input.appendingPathComponent(image, isDirectory: false), as: image)
            written += 1
            if isFinalAlready {
                // A caption the rules leave as it is (the usual case after normalize) is linked like its image: no new
                // file to allocate, write and flush. reviewed/ and source/ are the job's own, never modified again.
                try staged.link(captionFile, as: captionName)
                if written % 1_000 == 0 { context.progress(written, total) }
            } else if try staged.write(text, as: captionName) {
                context.progress(written, total)
            }
        }
        try staged.flush()
        // The links' folder entries (all of them when no caption needed writing) are durable before the stage is.
        let linked = staged.takeUnsynced()
        try DurableBatch.syncFolders(linked.folders, flushingData: linked.copiedData)
        context.progress(total, total)
        if context.config.final.missingCaption == .fail && !missing.isEmpty {
            return .fail("images without a caption (final.missing_caption is fail): \(listing(missing, in: input))")
        }
        if context.config.final.emptyCaption == .fail && !empty.isEmpty {
            return .fail("empty captions (final.empty_caption is fail): \(listing(empty.map(DatasetFiles.captionPath(forImage:)), in: input))")
        }
        let strays = files.filter { $0.lowercased().hasSuffix(".txt") && !imageCaptions.contains($0) && !isSluiceFile($0) }
        if !strays.isEmpty {
            job.record(.warning, "captions without an image, left out: \(strays.prefix(10).joined(separator: ", "))", at: context.now())
        }
        if !missing.isEmpty {
            job.record(.warning, "\(missing.count) images had no caption; an empty one was written", at: context.now())
        }
        try FileOperations.rename(staging.path, to: context.folder.finalStage.path)
        try FileOperations.syncDirectory(at: context.folder.finalStage.deletingLastPathComponent().path)
        job.progress = Job.Progress(done: written, total: written)
        job.record(.info, "final cleanup: \(written) images with captions" + (kept > 0 ? " (\(kept) kept from the interrupted run)" : ""), at: context.now())
        return .success
    }

    private func isSluiceFile(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return name == reviewFileName || name == resumeMarkerName
    }

    private func listing(_ paths: [String], in folder: URL) -> String {
        let shown = paths.prefix(10).map { folder.appendingPathComponent($0).path }.joined(separator: ", ")
        return paths.count > 10 ? shown + " and \(paths.count - 10) more" : shown
    }
}

/// An image and its final caption that an interrupted run of step H already put in the staging folder.
struct StagedPair {
    enum InputCaption: Equatable { case regular, notRegular, missing }

    /// What stood at the image's caption in the input (a missing or irregular one was staged empty).
    let inputCaption: InputCaption
    let captionIsEmpty: Bool

    /// The pair staged for `image`, when both are whole and current: the image linked (the input's own inode) and the
    /// caption renamed into place (never half-written) no earlier than the input caption last changed, or linked to the
    /// input caption (its own inode) whose text `isFinal` still accepts as it is; else nil.
    static func find(image: String, caption: String, input: URL, staging: URL, isFinal: (String) -> Bool) -> StagedPair? {
        var stagedImage = stat(), inputImage = stat(), stagedCaption = stat(), inputCaption = stat()
        guard lstat(staging.path + "/" + image, &stagedImage) == 0,
            lstat(input.path + "/" + image, &inputImage) == 0,
            stagedImage.st_ino == inputImage.st_ino, stagedImage.st_dev == inputImage.st_dev,
            lstat(staging.path + "/" + caption, &stagedCaption) == 0,
            stagedCaption.st_mode & S_IFMT == S_IFREG
        else { return nil }
        let kind: InputCaption
        if lstat(input.path + "/" + caption, &inputCaption) != 0 {
            kind = .missing
        } else if inputCaption.st_mode & S_IFMT != S_IFREG {
            kind = .notRegular
        } else if inputCaption.st_ino == stagedCaption.st_ino && inputCaption.st_dev == stagedCaption.st_dev {
            // Linked because the rules left it as it was: still so only if its text (which a link shares) is final.
            guard let bytes = try? RegularFileReader.read(input.path + "/" + caption, maxBytes: 16 << 20),
                let text = String(validating: bytes, as: UTF8.self), isFinal(text)
            else { return nil }
            kind = .regular
        } else {
            let changed = (inputCaption.st_mtim.tv_sec, inputCaption.st_mtim.tv_nsec)
            let staged = (stagedCaption.st_mtim.tv_sec, stagedCaption.st_mtim.tv_nsec)
            guard changed <= staged else { return nil }
            kind = .regular
        }
        return StagedPair(inputCaption: kind, captionIsEmpty: stagedCaption.st_size == 0)
    }
}
