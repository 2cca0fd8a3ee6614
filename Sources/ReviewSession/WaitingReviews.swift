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
    /// The dataset job's id and dataset name (nil for a library batch).
    let jobID: String?
    let dataset: String?

    init(folder: URL, normalizationBackups: URL?, since: Date, label: String, jobID: String? = nil, dataset: String? = nil) {
        self.folder = folder
        self.normalizationBackups = normalizationBackups
        self.since = since
        self.label = label
        self.jobID = jobID
        self.dataset = dataset
    }

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
                !FileManager.default.fileExists(atPath: folder.appendingPathComponent(ReviewFolderFiles.resumeMarker).path)
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
        for candidate in candidates where manager.fileExists(atPath: candidate.appendingPathComponent(ReviewFolderFiles.jobTag).path) {
            let path = candidate.standardizedFileURL.resolvingSymlinksInPath().path
            if let job = jobs.first(where: { $0.folder.standardizedFileURL.resolvingSymlinksInPath().path == path }) { return job }
            return WaitingReview(folder: candidate, normalizationBackups: nil, since: Date(), label: candidate.lastPathComponent)
        }
        // A job id, a unique prefix or a dataset name, among the jobs that wait in review (as `sluice pause` takes it).
        if let exact = jobs.first(where: { $0.jobID == reference }) { return exact }
        let matches = jobs.filter { ($0.jobID ?? "").hasPrefix(reference) || $0.dataset == reference }
        if matches.count > 1 { throw JobStore.Failure.ambiguous(reference, matches: matches.compactMap(\.jobID)) }
        if let only = matches.first { return only }
        throw ReviewError.noSuchReview(reference)
    }

    /// Dataset jobs waiting at the review step and not yet approved, with their review folder and the caption backups
    /// normalization made (`JobFolder.normalizeBackups`).
    static func datasetJobs(root: URL) -> [WaitingReview] {
        let store = JobStore(stateDirectory: root.appendingPathComponent(".sluice", isDirectory: true))
        guard let jobs = try? store.all().jobs else { return [] }
        return jobs.compactMap { job in
            guard job.status == .waitingManual, job.step == .review, job.artifacts.reviewApproved != true,
                let name = job.artifacts.reviewFolder
            else { return nil }
            let folder = root.appendingPathComponent("review", isDirectory: true).appendingPathComponent(name, isDirectory: true)
            guard FileManager.default.fileExists(atPath: folder.path),
                !FileManager.default.fileExists(atPath: folder.appendingPathComponent(ReviewFolderFiles.resumeMarker).path)
            else { return nil }
            let backups = JobFolder(store.folder(of: job.id)).normalizeBackups
            return WaitingReview(
                folder: folder, normalizationBackups: backups, since: job.createdAt, label: "job \(job.id)", jobID: job.id,
                dataset: job.dataset)
        }
    }
}
