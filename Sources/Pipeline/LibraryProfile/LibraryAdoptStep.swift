import Foundation
import Jobs

/// Library profile: takes the drop out of inbox/ into `source/<drop name>/` in the job's folder (a loose image into
/// a folder of its own), so inbox/ shows only what has not been taken yet. Staged, then published with one rename.
struct LibraryAdoptStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let source = context.folder.source
        job.artifacts.source = context.folder.libraryDrop(named: job.dataset).path
        if manager.fileExists(atPath: source.path) { return .success }

        let origin = context.layout.root.appendingPathComponent(job.origin)
        let staging = context.folder.sourceStaging
        let stagedDrop = staging.appendingPathComponent(job.dataset, isDirectory: true)
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: origin.path, isDirectory: &isDirectory) {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            if isDirectory.boolValue {
                try FolderTransfer.move(origin, to: stagedDrop)
            } else {
                try manager.createDirectory(at: stagedDrop, withIntermediateDirectories: true)
                try FolderTransfer.move(origin, to: stagedDrop.appendingPathComponent(origin.lastPathComponent))
            }
        }
        guard manager.fileExists(atPath: stagedDrop.path) else {
            return .fail("\(origin.path) disappeared before Sluice could take it")
        }
        try FolderTransfer.move(staging, to: source)
        return .success
    }
}
