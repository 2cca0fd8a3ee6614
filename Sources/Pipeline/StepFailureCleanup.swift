import Foundation
import Glibc
import Jobs
import SystemIO

/// What the engine does when a step fails: removes the step's partial output, and turns a full disk into a message
/// that says how much room the job needs and where.
enum StepFailureCleanup {
    /// Removes every staging folder, checkpoint and `.partial` zip of the job, so a failed step leaves nothing
    /// half-written (and a full disk gets back the room the failed step used). The drop being adopted
    /// (`source.staging`) is the user's data and is never removed.
    static func removePartialOutputs(of folder: JobFolder, artifacts: [String?], layout: RootLayout) {
        let manager = FileManager.default
        for url in [
            folder.normalizedStaging, folder.finalStaging, folder.captionsFromResultStaging, folder.uploadCopies,
            folder.indexCheckpoint, folder.normalizeProgress, folder.finalZipCheckpoint,
        ] {
            try? manager.removeItem(at: url)
        }
        for case let path? in artifacts {
            let zip = URL(fileURLWithPath: path)
            try? manager.removeItem(at: zip.deletingLastPathComponent().appendingPathComponent(".\(zip.lastPathComponent).partial"))
        }
    }

    /// Whether an error (or one it wraps) is ENOSPC.
    static func isOutOfSpace(_ error: any Error) -> Bool {
        if let system = error as? SystemError { return system.errno == ENOSPC }
        let bridged = error as NSError
        if bridged.domain == NSPOSIXErrorDomain && bridged.code == Int(ENOSPC) { return true }
        if bridged.domain == NSCocoaErrorDomain && bridged.code == CocoaError.fileWriteOutOfSpace.rawValue { return true }
        if let underlying = bridged.userInfo[NSUnderlyingErrorKey] as? any Error, isOutOfSpace(underlying) { return true }
        return "\(error)".contains(String(cString: strerror(ENOSPC)))
    }

    /// "no space left on device: need about N MB in <folder>", N from the dataset's size (the step writes about one
    /// copy of it), at least 1.
    static func outOfSpaceMessage(datasetBytes: Int, folder: URL, jobID: String) -> String {
        let megabytes = max(1, (datasetBytes + (1 << 20) - 1) >> 20)
        return "no space left on device: need about \(megabytes) MB in \(folder.path); free some space, then `sluice retry \(jobID)`"
    }

    /// The bytes of the job's dataset: the index's images, else every file of the job's copy of the drop.
    static func datasetBytes(index: DatasetIndex?, source: URL) -> Int {
        if let index, !index.images.isEmpty { return index.images.reduce(0) { $0 + $1.size } }
        let entries = (try? DatasetFiles.walker.walk(source.path)) ?? []
        return entries.reduce(0) { total, entry in
            if case .file(let size) = entry.kind { return total + Int(size) }
            return total
        }
    }
}

extension Engine {
    /// A failed step's message: a full disk says how much room the job needs and where; anything else as it is.
    func failureMessage(_ error: any Error, job: Job) -> String {
        guard StepFailureCleanup.isOutOfSpace(error) else { return "\(error)" }
        let folder = JobFolder(store.folder(of: job.id))
        let index = try? JSONDecoder().decode(DatasetIndex.self, from: Data(contentsOf: folder.index))
        // The folder the user recognizes: the job's folder for its own work files, else the folder written to.
        let written = (error as? SystemError)?.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
        let target = written.flatMap { $0.path.hasPrefix(folder.url.path) ? nil : $0 } ?? folder.url
        return StepFailureCleanup.outOfSpaceMessage(
            datasetBytes: StepFailureCleanup.datasetBytes(index: index, source: folder.source), folder: target, jobID: job.id)
    }

    /// Removes the failed step's partial output (staging folders, `.partial` zips).
    func removePartialOutputs(of job: Job) {
        StepFailureCleanup.removePartialOutputs(
            of: JobFolder(store.folder(of: job.id)),
            artifacts: [job.artifacts.autotagZip, job.artifacts.finalZipName.map { layout.final.appendingPathComponent($0).path }],
            layout: layout)
    }
}
