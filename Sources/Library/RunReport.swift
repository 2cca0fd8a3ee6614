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
    }

    /// Refused, skipped, failed and waiting images with their stage and reason, in path order, then failed syncs.
    public var problems: [Problem] {
        images.flatMap { record in
            LibraryStage.imageStages.compactMap { stage -> Problem? in
                guard let outcome = record.outcome(stage), Self.problemStatuses.contains(outcome.status) else { return nil }
                return Problem(image: record.path, stage: stage, status: outcome.status, detail: outcome.detail ?? "")
            }
        }
            + syncs.compactMap { sync in
                sync.error.map { Problem(image: "final/", stage: .sync, status: .failed, detail: $0) }
            }
    }

    private static let problemStatuses: Set<StageOutcome.Status> = [.refused, .skipped, .failed, .waiting]

    /// The short text version of the error report.
    public var errorText: String {
        var lines = ["Sluice library run \(job) on \(drop)", counters.line(elapsed: finished.timeIntervalSince(started)), ""]
        let problems = self.problems
        if problems.isEmpty { lines.append("No image was refused, skipped, failed or left waiting.") }
        for status in [StageOutcome.Status.failed, .refused, .skipped, .waiting] {
            let group = problems.filter { $0.status == status }
            guard !group.isEmpty else { continue }
            lines.append("\(status.rawValue) (\(group.count)):")
            lines += group.map { "  \($0.image) [\($0.stage.rawValue)]: \($0.detail)" }
        }
        lines += syncs.compactMap { $0.result.map { "synced: \($0.summary)" } }
        lines += warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `placed` lists of every manifest under `reportsFolder` (older manifests without one add nothing); a
    /// manifest that cannot be read is reported to `warn` and skipped.
    public static func placements(inReports reportsFolder: String, warn: (String) -> Void) -> [PlacedImage] {
        struct Placements: Decodable { var placed: [PlacedImage]? }
        var result: [PlacedImage] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: reportsFolder)) ?? []).sorted() {
            let path = reportsFolder + "/" + name + "/manifest.json"
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                result += try JSONDecoder().decode(Placements.self, from: data).placed ?? []
            } catch {
                warn("\(path) is not a readable manifest (\(error)); the moves of its images are not learned")
            }
        }
        return result
    }

    /// Writes `manifest.json`, `errors.json` and `errors.txt` into `folder`, each atomically.
    public func write(to folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        try FileOperations.writeAtomically(try encoder.encode(self), to: URL(fileURLWithPath: folder + "/manifest.json"))
        try FileOperations.writeAtomically(try encoder.encode(problems), to: URL(fileURLWithPath: folder + "/errors.json"))
        try FileOperations.writeAtomically(Data(errorText.utf8), to: URL(fileURLWithPath: folder + "/errors.txt"))
    }
}
