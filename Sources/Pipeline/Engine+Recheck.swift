import Foundation
import Glibc
import Jobs
import SystemIO

/// Re-checks what a step is about to rely on, so a retry after the user fixed something finds the fix and a change
/// made while a job waits is noticed: the index against the job's copy, and the review folder against review/.
extension Engine {
    /// Drops from the index (and names) images the job's copy no longer holds as regular files, before a step after
    /// the index runs: removing a bad file and retrying then works instead of failing on "no such file". Returns the
    /// index as the step should see it (read once here, so the step's context needs no second decode), or nil when
    /// the job has none yet.
    func recheckIndex(of job: inout Job) -> DatasetIndex? {
        guard job.machine.plan.hasPassed(.index, at: job.step) else { return nil }
        let folder = JobFolder(store.folder(of: job.id))
        guard let data = try? Data(contentsOf: folder.index), var index = try? JSONDecoder().decode(DatasetIndex.self, from: data) else { return nil }
        let gone = index.images.filter { image in
            var info = stat()
            return lstat(folder.source.path + "/" + image.path, &info) != 0 || info.st_mode & S_IFMT != S_IFREG
        }
        guard !gone.isEmpty else { return index }
        let goneSet = Set(gone.map(\.path))
        index.images.removeAll { goneSet.contains($0.path) }
        index.exactDuplicates = index.exactDuplicates.map { $0.filter { !goneSet.contains($0) } }.filter { $0.count > 1 }
        index.nearDuplicates.removeAll { goneSet.contains($0.first) || goneSet.contains($0.second) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let encoded = try? encoder.encode(index), (try? FileOperations.writeAtomically(encoded, to: folder.index)) != nil else { return nil }
        let names = gone.prefix(10).map { LogSafeName.escaped($0.path) }.joined(separator: ", ")
        record(&job, .warning, "\(gone.count) indexed images are gone from \(folder.source.path) (\(names)\(gone.count > 10 ? ", …" : "")); left out")
        return index
    }

    /// A job waiting in review whose folder was deleted from review/ (and not moved to reviewed/) fails with a message
    /// saying that `sluice retry` rebuilds it from the job's copy; returns whether it did.
    func noticeDeletedReviewFolder(_ job: Job) -> Bool {
        guard job.status == .waitingManual, job.step == .review, let name = job.artifacts.reviewFolder else { return false }
        let folder = layout.review.appendingPathComponent(name, isDirectory: true)
        guard !FileManager.default.fileExists(atPath: folder.path), ReviewLocator.folderTagged(job.id, in: layout.reviewed) == nil,
            !FileManager.default.fileExists(atPath: JobFolder(store.folder(of: job.id)).reviewedCopy.path)
        else { return false }
        var failed = job
        _ = failed.machine.event(.fail(
            "review/\(name)/ was deleted while the job waited for you; `sluice retry \(job.id)` rebuilds it from the job's copy (edits made in the deleted folder are lost)"))
        record(&failed, .error, "FAILED at \(job.step.label): \(failed.machine.failure ?? "")")
        trySave(failed)
        return true
    }
}
