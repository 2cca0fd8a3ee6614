import CategoryLearning
import Foundation

/// Writes a run's manifest (`manifest.json`, and its `placed` list again as `placed.json`, which start-up reads
/// without parsing every image's record) and error report (`errors.json`, `errors.txt`) while the images' records
/// stream past one at a time, so the report of a drop of any size holds one record in memory. The lists
/// that come later in a file (placements, each group of problems) are spooled to temp files beside it; `finish`
/// assembles each file, makes it durable and names it atomically. The files read as a `RunReport` and its problems.
final class ReportWriter {
    /// The manifest's fields before its image lists (`RunReport`'s other fields).
    struct Head: Encodable {
        var counters: RunCounters
        var drop: String
        var finished: Date
        var from: LibraryStage
        var job: String
        var started: Date
        var syncs: [SyncRecord]
        var to: LibraryStage
        var warnings: [String]
    }

    private let head: Head
    private let encoder: JSONEncoder
    private let manifest: StagedFile
    private let placed: StagedFile
    private let errors: StagedFile
    /// The text report's groups, one spool each, in `RunReport.problemGroups` order.
    private var groups: [(status: StageOutcome.Status, spool: StagedFile, count: Int)] = []
    private var images = 0
    private var placements = 0
    private var problems = 0

    init(folder: String, head: Head) throws {
        self.head = head
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        manifest = try StagedFile(in: folder)
        placed = try StagedFile(in: folder)
        errors = try StagedFile(in: folder)
        for status in RunReport.problemGroups { groups.append((status, try StagedFile(in: folder), 0)) }
        var opening = try encoder.encode(head)
        opening.removeLast()  // the closing brace: the image lists follow
        try manifest.write(opening)
        try manifest.write(",\"images\":[")
        try errors.write("[")
    }

    /// Adds one image: its record to the manifest, its placement (when it is in final/) and its problems.
    func add(_ record: ImageRecord, placed placement: PlacedImage?) throws {
        try manifest.write(images == 0 ? "\n" : ",\n")
        try manifest.write(encoder.encode(record))
        images += 1
        if let placement {
            try placed.write(placements == 0 ? "\n" : ",\n")
            try placed.write(encoder.encode(placement))
            placements += 1
        }
        for problem in RunReport.problems(of: record) { try add(problem) }
    }

    /// Adds the failed syncs, closes the lists and names the three files in the folder.
    func finish() throws {
        for problem in RunReport.problems(of: head.syncs) { try add(problem) }
        try manifest.write("\n],\"placed\":[")
        try manifest.append(contentsOf: placed)
        try manifest.write("\n]}\n")
        try errors.write("\n]\n")
        let text = try StagedFile(in: manifest.folder)
        let placedList = try StagedFile(in: manifest.folder)
        do {
            try placedList.write("[")
            try placedList.append(contentsOf: placed)
            try placedList.write("\n]\n")
            let elapsed = head.finished.timeIntervalSince(head.started)
            var lines = RunReport.errorTextHead(job: head.job, drop: head.drop, counters: head.counters, elapsed: elapsed)
            if problems == 0 { lines.append(RunReport.noProblemsLine) }
            try text.write(lines.joined(separator: "\n") + "\n")
            for group in groups where group.count > 0 {
                try text.write(RunReport.groupHeading(group.status, count: group.count) + "\n")
                try text.append(contentsOf: group.spool)
            }
            let tail = RunReport.errorTextTail(syncs: head.syncs, warnings: head.warnings)
            try text.write(tail.map { $0 + "\n" }.joined())
            try manifest.commit(as: "manifest.json")
            try errors.commit(as: "errors.json")
            try text.commit(as: "errors.txt")
            try placedList.commit(as: RunReport.placedListName)
        } catch {
            text.discard()
            placedList.discard()
            throw error
        }
        abandon()
    }

    /// Removes every temp file still staged (all of them after a failure; the spools after `finish`).
    func abandon() {
        for file in [manifest, placed, errors] + groups.map(\.spool) { file.discard() }
    }

    private func add(_ problem: RunReport.Problem) throws {
        try errors.write(problems == 0 ? "\n" : ",\n")
        try errors.write(encoder.encode(problem))
        problems += 1
        guard let index = groups.firstIndex(where: { $0.status == problem.status }) else { return }
        try groups[index].spool.write(problem.textLine + "\n")
        groups[index].count += 1
    }
}
