import Foundation

/// One dataset's journey through the pipeline, persisted as `.sluice/jobs/<id>/job.json`.
public struct Job: Codable, Equatable, Sendable {
    public static let schemaVersion = 1

    public var schemaVersion = Job.schemaVersion
    public let id: String
    /// The dataset's name as the user dropped it (the folder name, or the loose image's name).
    public let dataset: String
    public let profile: String
    public let createdAt: Date
    public var updatedAt: Date
    /// Where the drop came from: `inbox/<name>` or `reviewed/<name>`, relative to the root.
    public let origin: String
    public var machine: JobStateMachine
    /// The config the job runs with, secrets removed, as JSON text so the job file stays readable.
    public var configSnapshot: String
    /// The preset the job runs with, fixed when it started (nil for jobs written before this record existed).
    public var preset: PresetRecord?
    public var progress: Progress
    /// Library profile: per-stage counters and rates, saved at most once a second while the stages run.
    public var library: LibraryProgress?
    public var artifacts: Artifacts
    public var log: [LogEntry]
    /// Wall seconds each step took so far, in the order the steps first ran (a step run again adds up).
    public var stepTimes: [StepTime]?

    public struct Progress: Codable, Equatable, Sendable {
        public var done: Int = 0
        public var total: Int = 0
        public init(done: Int = 0, total: Int = 0) {
            self.done = done
            self.total = total
        }
    }

    public struct Artifacts: Codable, Equatable, Sendable {
        /// The job's own copy of the drop (never modified).
        public var source: String?
        /// The review folder name under review/ while the job waits there.
        public var reviewFolder: String?
        /// Auto-tagger round trip (steps B–E).
        public var autotagZip: String?
        public var resultZip: String?
        /// The final zip name chosen when step I first starts, so a restart writes the same file.
        public var finalZipName: String?
        public var finalZip: String?
        public var manifest: String?
        /// G: the user approved the review (RESUME, a move to reviewed/, `sluice resume`).
        public var reviewApproved: Bool?
        /// C/D: when the wait for the auto-tagger's result began (the timeout counts from here).
        public var waitStartedAt: Date?
        /// E: where the result zip was found.
        public var resultZipOrigin: String?
        /// E: result files that matched no original.
        public var unmatchedResultFiles: [String]?
        /// B (local): images the analyzer gave no caption, each with the reason.
        public var notCaptioned: [NotCaptioned]?
        /// Library profile: the manifest and the error report of the finished drop.
        public var libraryReport: String?
        /// Free-form facts of older job files; read once into the typed fields above, never written.
        public var extras: [String: String]?
        public init() {}

        /// Moves the string flags older versions kept in `extras` into the typed fields.
        public mutating func adoptLegacyExtras() {
            guard let extras else { return }
            // The job decoder converts snake_case keys, dictionary keys included: accept either spelling.
            func legacy(_ snake: String, _ camel: String) -> String? { extras[snake] ?? extras[camel] }
            if legacy("review_approved", "reviewApproved") == "yes" { reviewApproved = true }
            if let started = legacy("wait_started_at", "waitStartedAt") {
                waitStartedAt = waitStartedAt ?? ISO8601DateFormatter().date(from: started)
            }
            if let origin = legacy("result_zip_origin", "resultZipOrigin") { resultZipOrigin = resultZipOrigin ?? origin }
            if let unmatched = legacy("unmatched_result_files", "unmatchedResultFiles"), !unmatched.isEmpty {
                unmatchedResultFiles = unmatchedResultFiles ?? unmatched.components(separatedBy: "\n")
            }
            self.extras = nil
        }
    }

    /// An image the local analyzer could not caption, and why.
    public struct NotCaptioned: Codable, Equatable, Sendable {
        public let image: String
        public let reason: String
        public init(image: String, reason: String) {
            self.image = image
            self.reason = reason
        }
    }

    /// A preset as a job recorded it: its name and the SHA-256 of its resolved JSON.
    public struct PresetRecord: Codable, Equatable, Sendable {
        public let name: String
        public let sha256: String
        public init(name: String, sha256: String) {
            self.name = name
            self.sha256 = sha256
        }
    }

    /// How long one step has taken, in wall seconds.
    public struct StepTime: Codable, Equatable, Sendable {
        public let step: Step
        public var seconds: Double
    }

    public struct LogEntry: Codable, Equatable, Sendable {
        public enum Level: String, Codable, Sendable { case info, warning, error }
        public let at: Date
        public let level: Level
        public let message: String
    }

    public init(
        id: String, dataset: String, profile: String = "dataset", origin: String, plan: StepPlan, configSnapshot: String, now: Date
    ) {
        self.id = id
        self.dataset = dataset
        self.profile = profile
        self.createdAt = now
        self.updatedAt = now
        self.origin = origin
        self.machine = JobStateMachine(plan: plan)
        self.configSnapshot = configSnapshot
        self.progress = Progress()
        self.artifacts = Artifacts()
        self.log = []
    }

    public var status: JobStatus { machine.status }
    public var step: Step { machine.step }

    public mutating func record(_ level: LogEntry.Level, _ message: String, at now: Date) {
        log.append(LogEntry(at: now, level: level, message: message))
        updatedAt = now
    }

    /// Adds one run of a step to `stepTimes`.
    public mutating func addStepTime(_ step: Step, seconds: Double) {
        var times = stepTimes ?? []
        if let position = times.firstIndex(where: { $0.step == step }) {
            times[position].seconds += max(0, seconds)
        } else {
            times.append(StepTime(step: step, seconds: max(0, seconds)))
        }
        stepTimes = times
    }

    /// What the job waits for, in words for `sluice status`.
    public var waitingFor: String? {
        switch machine.status {
        case .waitingManual, .waitingDownload, .waitingExternal: machine.waitReason
        case .paused: "paused: `sluice resume \(id)` continues"
        case .failed: machine.failure
        default: nil
        }
    }
}
