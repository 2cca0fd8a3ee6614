import Foundation
import Jobs

/// Finds what waits for review in a root: library batches by their folder contract, dataset jobs through their job
/// files. This is the one place that reads the Jobs module, so the engine's job model can change behind it.
public struct WaitingReview: Sendable {
    public let folder: URL
    /// The pre-normalization caption backups of a dataset job.
    public let normalizationBackups: URL?
    public let since: Date
    public let label: String

    public func open() throws -> ReviewFolder { try ReviewFolder.open(folder, normalizationBackups: normalizationBackups) }
}

public enum WaitingReviews {
    /// Every batch and dataset job waiting for review in `root`, oldest first.
    public static func all(root: URL) -> [WaitingReview] {
        var found = datasetJobs(root: root)
        let known = Set(found.map { $0.folder.standardizedFileURL.path })
        let review = root.appendingPathComponent("review", isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: review.path)) ?? []
        for name in names.sorted() where !name.hasPrefix(".") {
            let folder = review.appendingPathComponent(name, isDirectory: true)
            let manifest = folder.appendingPathComponent(BatchManifest.fileName)
            guard !known.contains(folder.standardizedFileURL.path),
                let attributes = try? FileManager.default.attributesOfItem(atPath: manifest.path),
                !FileManager.default.fileExists(atPath: folder.appendingPathComponent("RESUME").path)
            else { continue }
            let since = attributes[.modificationDate] as? Date ?? .distantPast
            found.append(WaitingReview(folder: folder, normalizationBackups: nil, since: since, label: "batch \(name)"))
        }
        return found.sorted { ($0.since, $0.folder.path) < ($1.since, $1.folder.path) }
    }

    /// A batch folder (path or name under review/) or a dataset job (id, unique prefix or dataset name).
    public static func resolve(_ reference: String, root: URL) throws -> WaitingReview {
        let manager = FileManager.default
        let candidates = [URL(fileURLWithPath: reference), root.appendingPathComponent("review").appendingPathComponent(reference)]
        for candidate in candidates where manager.fileExists(atPath: candidate.appendingPathComponent(BatchManifest.fileName).path) {
            return WaitingReview(folder: candidate, normalizationBackups: nil, since: Date(), label: "batch \(candidate.lastPathComponent)")
        }
        let jobs = datasetJobs(root: root)
        for candidate in candidates where manager.fileExists(atPath: candidate.appendingPathComponent(".sluice-job").path) {
            let path = candidate.standardizedFileURL.resolvingSymlinksInPath().path
            if let job = jobs.first(where: { $0.folder.standardizedFileURL.resolvingSymlinksInPath().path == path }) { return job }
            return WaitingReview(folder: candidate, normalizationBackups: nil, since: Date(), label: candidate.lastPathComponent)
        }
        let store = JobStore(stateDirectory: root.appendingPathComponent(".sluice", isDirectory: true))
        if let job = try? store.resolve(reference), let waiting = jobs.first(where: { $0.label == "job \(job.id)" }) {
            return waiting
        }
        throw ReviewError.noSuchReview(reference)
    }

    /// Dataset jobs waiting at the review step, with their review folder and caption backups.
    static func datasetJobs(root: URL) -> [WaitingReview] {
        let store = JobStore(stateDirectory: root.appendingPathComponent(".sluice", isDirectory: true))
        guard let jobs = try? store.all().jobs else { return [] }
        return jobs.compactMap { job in
            guard job.status == .waitingManual, job.step == .review, let name = job.artifacts.reviewFolder else { return nil }
            let folder = root.appendingPathComponent("review", isDirectory: true).appendingPathComponent(name, isDirectory: true)
            guard FileManager.default.fileExists(atPath: folder.path) else { return nil }
            let backups = store.folder(of: job.id).appendingPathComponent("backups/normalize", isDirectory: true)
            return WaitingReview(folder: folder, normalizationBackups: backups, since: job.createdAt, label: "job \(job.id)")
        }
    }
}
