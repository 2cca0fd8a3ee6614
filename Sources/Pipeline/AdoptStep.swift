import Foundation
import Jobs

/// Takes the drop out of inbox/ (or reviewed/) into the job's own folder, so each folder shows only what waits there.
struct AdoptStep: PipelineStep {
    func run(_ job: inout Job, _ context: StepContext) throws -> StepOutcome {
        let manager = FileManager.default
        let source = context.folder.source
        job.artifacts.source = source.path
        if manager.fileExists(atPath: source.path) { return .success }

        let origin = context.layout.root.appendingPathComponent(job.origin)
        let staging = context.folder.sourceStaging
        var isDirectory: ObjCBool = false
        let originExists = manager.fileExists(atPath: origin.path, isDirectory: &isDirectory)

        if originExists && isDirectory.boolValue {
            try FolderTransfer.move(origin, to: source)
            return .success
        }
        // A loose image: it becomes a dataset of one, with its caption twin when there is one.
        if originExists {
            try manager.createDirectory(at: staging, withIntermediateDirectories: true)
            try FolderTransfer.move(origin, to: staging.appendingPathComponent(origin.lastPathComponent))
            let twin = origin.deletingPathExtension().appendingPathExtension("txt")
            if manager.fileExists(atPath: twin.path) {
                try FolderTransfer.move(twin, to: staging.appendingPathComponent(twin.lastPathComponent))
            }
        }
        if manager.fileExists(atPath: staging.path) {
            try FolderTransfer.move(staging, to: source)
            return .success
        }
        return .fail("\(origin.path) disappeared before Sluice could take it")
    }
}
