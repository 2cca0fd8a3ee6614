import CategoryLearning
import Foundation
import SystemIO

/// The manifest of a run (every image, every stage's outcome and timing, source, cache hit, the rule that chose the
/// category, the final path) and its error report, written where no category folder can be (`.sluice/reports/`).
public struct RunReport: Codable, Equatable, Sendable {
    public var job: String
    public var drop: String
    public var started: Date
    public var finished: Date
    public var from: LibraryStage
    public var to: LibraryStage
    public var counters: RunCounters
    public var warnings: [String]
    public var images: [ImageRecord]
    /// Every image in final/ with its tags and the learner's proposal: start-up compares these paths with where the
    /// files are now to learn from the moves made while Sluice was not running.
    public var placed: [PlacedImage] = []
    /// The syncs of final/ this run made.
    public var syncs: [SyncRecord] = []

    public init(
        job: String, drop: String, started: Date, finished: Date, from: LibraryStage, to: LibraryStage, counters: RunCounters,
        warnings: [String], images: [ImageRecord]
    ) {
        self.job = job
        self.drop = drop
        self.started = started
        self.finished = finished
        self.from = from
        self.to = to
        self.counters = counters
        self.warnings = warnings
        self.images = images
    }

    /// One image that did not go all the way, and why.
    public struct Problem: Codable, Equatable, Sendable {
        public var image: String
        public var stage: LibraryStage
        public var status: StageOutcome.Status
        public var detail: String

        /// The problem's line in the text report.
        var textLine: String { "  \(image) [\(stage.rawValue)]: \(detail)" }
    }

    /// Refused, skipped, failed and waiting images with their stage and reason, in path order, then failed syncs.
    public var problems: [Problem] {
        images.flatMap(Self.problems(of:)) + Self.problems(of: syncs)
    }

    /// One image's refused, skipped, failed or waiting stages.
    static func problems(of record: ImageRecord) -> [Problem] {
        LibraryStage.imageStages.compactMap { stage -> Problem? in
            guard let outcome = record.outcome(stage), problemGroups.contains(outcome.status) else { return nil }
            return Problem(image: record.path, stage: stage, status: outcome.status, detail: outcome.detail ?? "")
        }
    }

    /// The syncs that failed.
    static func problems(of syncs: [SyncRecord]) -> [Problem] {
        syncs.compactMap { sync in sync.error.map { Problem(image: "final/", stage: .sync, status: .failed, detail: $0) } }
    }

    /// The error report's groups, in the order the text shows them.
    static let problemGroups: [StageOutcome.Status] = [.failed, .refused, .skipped, .waiting]

    /// The short text version of the error report.
    public var errorText: String {
        var lines = Self.errorTextHead(job: job, drop: drop, counters: counters, elapsed: finished.timeIntervalSince(started))
        let problems = self.problems
        if problems.isEmpty { lines.append(Self.noProblemsLine) }
        for status in Self.problemGroups {
            let group = problems.filter { $0.status == status }
            guard !group.isEmpty else { continue }
            lines.append(Self.groupHeading(status, count: group.count))
            lines += group.map(\.textLine)
        }
        lines += Self.errorTextTail(syncs: syncs, warnings: warnings)
        return lines.joined(separator: "\n") + "\n"
    }

    static func errorTextHead(job: String, drop: String, counters: RunCounters, elapsed: TimeInterval) -> [String] {
        ["Sluice library run \(job) on \(drop)", counters.line(elapsed: elapsed), ""]
    }

    static let noProblemsLine = "No image was refused, skipped, failed or left waiting."

    static func groupHeading(_ status: StageOutcome.Status, count: Int) -> String { "\(status.rawValue) (\(count)):" }

    static func errorTextTail(syncs: [SyncRecord], warnings: [String]) -> [String] {
        syncs.compactMap { $0.result.map { "synced: \($0.summary)" } } + warnings.map { "warning: \($0)" }
    }

    /// The manifest's `placed` list on its own, beside it (start-up reads it without the images' records).
    static let placedListName = "placed.json"

    /// Hands `body` the `placed` list of each manifest under `reportsFolder` in turn (older manifests without one add
    /// nothing), so only one manifest's list is in memory at a time; a manifest that cannot be read is reported to
    /// `warn` and skipped.
    public static func forEachPlacementList(
        inReports reportsFolder: String, warn: (String) -> Void, _ body: ([PlacedImage]) throws -> Void
    ) rethrows {
        struct Placements: Decodable { var placed: [PlacedImage]? }
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: reportsFolder)) ?? []).sorted() where !name.hasPrefix(".") {
            let list = reportsFolder + "/" + name + "/" + placedListName
            let path = FileManager.default.fileExists(atPath: list) ? list : reportsFolder + "/" + name + "/manifest.json"
            let placed: [PlacedImage]
            do {
                guard let data = FileManager.default.contents(atPath: path) else { continue }
                placed = path == list
                    ? try JSONDecoder().decode([PlacedImage].self, from: data) : try JSONDecoder().decode(Placements.self, from: data).placed ?? []
            } catch {
                warn("\(path) is not a readable manifest (\(error)); the moves of its images are not learned")
                continue
            }
            try body(placed)
        }
    }
}
