import Foundation
import Jobs
import NASSync
import SystemIO

/// `sluice status`: every job of each root, read from the job files, so it works while the daemon is down.
public struct StatusReport: Codable, Sendable {
    public struct RootStatus: Codable, Sendable {
        public let root: String
        /// The pid holding the root's lock, when a daemon (or `sluice run`) is working on it.
        public let daemonPID: Int32?
        public let paused: Bool
        public let jobs: [JobStatusLine]
        public let problems: [String]
        /// The latest sync of final/ (the library chain's sync stage or `sluice sync`): live while it runs.
        public let sync: SyncProgressFile?
    }

    public struct JobStatusLine: Codable, Sendable {
        public let id: String
        public let dataset: String
        public let status: String
        public let step: String
        public let stepKind: String
        public let waitingFor: String?
        public let progressDone: Int
        public let progressTotal: Int
        public let finalZip: String?
        /// Library jobs: per-stage counts, API calls, cache hits, rate and ETA (nil for datasets).
        public let library: LibraryProgress?
        /// Library jobs: the manifest and error report once written.
        public let report: String?
        public let updatedAt: Date
        public let lastMessage: String?
        /// The running step's live figures (rate, MB/s, ETA), from the job folder's progress file.
        public let live: ProgressFigures?
    }

    public let roots: [RootStatus]

    public static func make(roots: [RootLayout]) throws -> StatusReport {
        StatusReport(roots: try roots.map { layout in
            let store = JobStore(stateDirectory: layout.state)
            let (jobs, problems) = try store.all()
            return RootStatus(
                root: layout.root.path, daemonPID: FileLock.holder(of: layout.lockFile.path),
                paused: FileManager.default.fileExists(atPath: layout.pauseMarker.path),
                jobs: jobs.map { job in
                    JobStatusLine(
                        id: job.id, dataset: job.dataset, status: job.status.rawValue, step: job.step.label,
                        stepKind: job.step.kind.rawValue, waitingFor: job.waitingFor, progressDone: job.progress.done,
                        progressTotal: job.progress.total, finalZip: job.artifacts.finalZip, library: job.library,
                        report: job.artifacts.libraryReport, updatedAt: job.updatedAt,
                        lastMessage: job.log.last?.message, live: liveFigures(of: job, in: store))
                },
                problems: problems.map(\.description),
                sync: SyncProgressFile.read(from: SyncProgressFile.path(stateFolder: layout.state.path)))
        })
    }

    /// A running job's live figures, when its progress file is about the step it is on.
    private static func liveFigures(of job: Job, in store: JobStore) -> ProgressFigures? {
        guard job.status == .running,
            let figures = ProgressFigures.read(from: JobFolder(store.folder(of: job.id)).liveProgress),
            figures.step == job.step.label
        else { return nil }
        return figures
    }

    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    public func text() -> String {
        var out = ""
        for root in roots {
            let daemon = root.daemonPID.map { "daemon pid \($0)" } ?? "no daemon running"
            out += "\(root.root)  (\(daemon)\(root.paused ? ", PAUSED by \(root.root)/PAUSE" : ""))\n"
            if root.jobs.isEmpty { out += "  no jobs: drop a folder (or images) into inbox/\n" }
            for job in root.jobs {
                var line = "  \(job.id)  \(job.status)  \(job.step)"
                if let live = job.live {
                    line += "  \(live.summary)"
                } else if job.progressTotal > 0 {
                    line += "  \(job.progressDone)/\(job.progressTotal)"
                }
                out += line + "\n"
                if let waiting = job.waitingFor { out += "      \(job.status == "FAILED" ? "error" : "waits for"): \(waiting)\n" }
                if let zip = job.finalZip { out += "      final zip: \(zip)\n" }
                for line in job.library?.lines ?? [] { out += "      \(line)\n" }
                if let report = job.report { out += "      report: \(report)\n" }
            }
            if let sync = root.sync { out += "  \(sync.summary)\n" }
            for problem in root.problems { out += "  ! \(problem)\n" }
        }
        return out
    }
}
