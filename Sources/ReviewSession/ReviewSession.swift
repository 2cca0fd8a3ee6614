import Foundation
import Jobs
import SystemIO

/// One review of one folder: the state, the files behind it and the undo history; the only owner of all three.
///
/// Every decision is written at once (atomically), so quitting at any moment loses nothing. Before any write the
/// decision file is compared (content, size, mtime) with what was read; if someone else changed it, the newer file
/// wins: the image is reloaded and what the screen would have written is kept in `.sluice-review-backups/`.
public final class ReviewSession {
    public let folder: ReviewFolder
    public private(set) var state: ReviewState
    /// A line for the user about the last action (shown in the screen's status line, printed by bulk flags).
    public private(set) var message: String?
    private var fingerprints: [String: FileFingerprint] = [:]
    private var progress: ReviewProgress
    private var undoHistory: [[UndoRecord]] = []
    private let now: () -> Date
    private let log: ReviewLog

    /// What undoing one decision restores.
    struct UndoRecord {
        let index: Int
        let previousContent: Data?
        let written: FileFingerprint?
        let previousDecision: ReviewDecision?
        let finishedBatch: Bool
    }

    public enum Outcome: Equatable {
        case written
        /// The file changed on disk since it was read; it was reloaded and nothing was written.
        case conflict
        case failed(String)
    }

    public init(folder: ReviewFolder, now: @escaping () -> Date = Date.init) throws {
        self.folder = folder
        self.now = now
        self.log = ReviewLog(file: folder.url.appendingPathComponent("REVIEW.md"))
        self.progress = try ReviewProgress.load(from: folder.url)
        var images: [ReviewImage] = []
        for file in folder.files {
            let (image, fingerprint) = folder.load(file)
            images.append(image)
            fingerprints[file] = fingerprint
        }
        let known = Set(folder.files)
        self.state = ReviewState(kind: folder.kind, images: images, decisions: progress.decisions.filter { known.contains($0.key) })
    }

    // MARK: - Cursor (pure state)

    public func move(by offset: Int) { state.move(by: offset) }
    public func moveTag(by offset: Int) { state.moveTag(by: offset) }
    public func toggleSelectedTag() { state.toggleSelectedTag() }
    public func select(_ index: Int) { state.select(index) }

    // MARK: - Decisions

    /// Writes the tags as shown (toggled-off tags left out); the file is left untouched when nothing changed.
    @discardableResult
    public func approve(_ index: Int, by actor: ReviewDecision.Actor = .screen) -> Outcome {
        let text = state.approvedText(at: index)
        return decide(index, content: Data(text.utf8), verdict: .approved, by: actor)
    }

    /// Library: deletes the tags file (the image is organized untagged). Dataset: empties the caption.
    @discardableResult
    public func reject(_ index: Int, by actor: ReviewDecision.Actor = .screen) -> Outcome {
        decide(index, content: folder.kind.isDataset ? Data() : nil, verdict: .rejected, by: actor)
    }

    /// Writes what the editor saved.
    @discardableResult
    public func edit(_ index: Int, text: String, by actor: ReviewDecision.Actor = .screen) -> Outcome {
        decide(index, content: Data(text.utf8), verdict: .edited, by: actor)
    }

    /// Postpones the image: nothing is written, and the batch is not finished while it waits.
    public func skip(_ index: Int, by actor: ReviewDecision.Actor = .screen) {
        let undo = UndoRecord(
            index: index, previousContent: nil, written: nil, previousDecision: state.decision(at: index), finishedBatch: false)
        record(ReviewDecision(.skipped, by: actor, at: now()), for: index, note: "skipped")
        undoHistory.append([undo])
    }

    /// Approves every image still waiting, as shown; returns how many were approved.
    @discardableResult
    public func approveAllRemaining(by actor: ReviewDecision.Actor = .screen) -> Int {
        group { state.pendingIndices.filter { approve($0, by: actor) == .written }.count }
    }

    /// Rejects every image still waiting.
    @discardableResult
    public func rejectAllRemaining(by actor: ReviewDecision.Actor = .screen) -> Int {
        group { state.pendingIndices.filter { reject($0, by: actor) == .written }.count }
    }

    /// Skips every image not yet decided.
    @discardableResult
    public func skipAllRemaining(by actor: ReviewDecision.Actor = .screen) -> Int {
        group {
            let pending = state.images.indices.filter { state.decision(at: $0) == nil }
            for index in pending { skip(index, by: actor) }
            return pending.count
        }
    }

    /// Approves every waiting image whose best confidence is at least `threshold`.
    @discardableResult
    public func approveConfident(threshold: Double, by actor: ReviewDecision.Actor = .screen) -> Int {
        group { state.confidentPending(threshold: threshold).filter { approve($0, by: actor) == .written }.count }
    }

    /// Undoes the last decision (or bulk action): restores the file as it was, unless someone changed it since.
    @discardableResult
    public func undo() -> Bool {
        guard let records = undoHistory.popLast() else {
            message = "nothing to undo"
            return false
        }
        var restored = 0
        for record in records.reversed() {
            let image = state.images[record.index]
            let url = folder.decisionFile(of: image.file)
            if let written = record.written {
                guard FileFingerprint.of(url) == written else {
                    message = "\(url.lastPathComponent) changed since; kept the newer file"
                    reload(record.index)
                    continue
                }
                do {
                    if let content = record.previousContent {
                        try FileOperations.writeAtomically(content, to: url)
                    } else {
                        try? FileManager.default.removeItem(at: url)
                    }
                } catch {
                    message = "\(url.path): \(error)"
                    continue
                }
            }
            if record.finishedBatch { unfinish() }
            progress.decisions[image.file] = record.previousDecision
            state.decisions[image.file] = record.previousDecision
            if record.previousDecision == nil { undoneFiles.insert(image.file) }
            reload(record.index)
            restored += 1
            try? log.append("screen · undo · \(image.file)", at: now())
        }
        saveProgress()
        if let last = records.first { state.select(last.index) }
        if restored == records.count { message = "undone: \(restored) image\(restored == 1 ? "" : "s")" }
        return restored > 0
    }

    // MARK: - Noticing other writers

    /// Rereads every decision file that changed on disk (a hand edit, another `sluice review`); returns their indices.
    @discardableResult
    public func refresh() -> [Int] {
        if let disk = try? ReviewProgress.load(from: folder.url) {
            progress.merge(disk)
            for (file, decision) in progress.decisions where state.decisions[file] != decision {
                if folder.files.contains(file) { state.decisions[file] = decision }
            }
        }
        var changed: [Int] = []
        for (index, image) in state.images.enumerated() {
            let url = folder.decisionFile(of: image.file)
            let fresh = FileFingerprint.of(url)
            guard fresh != fingerprints[image.file] else { continue }
            reload(index)
            changed.append(index)
            // A change another screen made is already in the progress file; anything else is the user in the folder.
            if let decision = state.decisions[image.file], decision.by != .folder,
                decision.at.timeIntervalSince1970 * 1e9 >= Double(fresh.modifiedNanoseconds) - 2e9
            {
                continue
            }
            let verdict: ReviewDecision.Verdict = fresh.exists ? .edited : .rejected
            record(ReviewDecision(verdict, by: .folder, at: now()), for: index, note: fresh.exists ? "edited by hand" : "tags file deleted")
            finishIfDone()
        }
        if !changed.isEmpty {
            message = "changed on disk, reloaded: " + changed.map { state.images[$0].file }.joined(separator: ", ")
        }
        return changed
    }

    // MARK: - Files

    private func decide(_ index: Int, content: Data?, verdict: ReviewDecision.Verdict, by actor: ReviewDecision.Actor) -> Outcome {
        let image = state.images[index]
        let url = folder.decisionFile(of: image.file)
        let onDisk = FileFingerprint.of(url)
        if onDisk != fingerprints[image.file] {
            // Someone wrote the file since we read it: theirs is newer and wins; ours is kept beside it.
            if let content { try? backUp(content, of: url, suffix: "screen") }
            reload(index)
            message = "\(url.lastPathComponent) changed on disk: reloaded, nothing overwritten (yours kept in .sluice-review-backups/)"
            return .conflict
        }
        var written: FileFingerprint? = nil
        if onDisk.content != content {
            do {
                if let previous = onDisk.content, !previous.isEmpty { try backUp(previous, of: url, suffix: "before") }
                if let content {
                    try FileOperations.writeAtomically(content, to: url)
                } else {
                    try FileManager.default.removeItem(at: url)
                }
            } catch {
                message = "\(url.path): \(error)"
                return .failed("\(error)")
            }
            written = FileFingerprint.of(url)
            fingerprints[image.file] = written
        }
        let previousDecision = state.decision(at: index)
        let detail = content.map { _ in "\(state.images[index].tags.filter(\.isEnabled).count) tags" } ?? "tags file deleted"
        record(ReviewDecision(verdict, by: actor, at: now()), for: index, note: "\(verdict.rawValue) (\(detail))")
        if written != nil { reload(index) }
        let finished = finishIfDone()
        undoHistory.append([UndoRecord(
            index: index, previousContent: onDisk.content, written: written, previousDecision: previousDecision,
            finishedBatch: finished)])
        message = "\(image.file): \(verdict.rawValue)" + (finished ? "; batch approved (RESUME written)" : "")
        return .written
    }

    private func record(_ decision: ReviewDecision, for index: Int, note: String) {
        let file = state.images[index].file
        state.decisions[file] = decision
        progress.decisions[file] = decision
        saveProgress()
        try? log.append("\(decision.by.rawValue) · \(note) · \(file)", at: decision.at)
    }

    /// Writes RESUME once every image is decided: the same approval as touching it by hand.
    @discardableResult
    private func finishIfDone() -> Bool {
        guard state.isFinished, progress.finishedAt == nil else { return false }
        let marker = folder.url.appendingPathComponent(ReviewFolderFiles.resumeMarker)
        do { try FileOperations.writeAtomically(Data(), to: marker) } catch {
            message = "\(marker.path): \(error)"
            return false
        }
        progress.finishedAt = now()
        saveProgress()
        try? log.append("screen · batch approved, every image decided (RESUME written)", at: now())
        return true
    }

    private func unfinish() {
        progress.finishedAt = nil
        try? FileManager.default.removeItem(at: folder.url.appendingPathComponent(ReviewFolderFiles.resumeMarker))
    }

    private func reload(_ index: Int) {
        let (image, fingerprint) = folder.load(state.images[index].file)
        fingerprints[image.file] = fingerprint
        state.replace(image, at: index)
    }

    private func saveProgress() {
        if let disk = try? ReviewProgress.load(from: folder.url) {
            var merged = disk
            merged.merge(progress)
            // Our own latest view wins for files we decided (including undo, which removes a decision).
            merged.decisions = progress.decisions.merging(disk.decisions.filter { progress.decisions[$0.key] == nil && !undoneFiles.contains($0.key) }) { ours, _ in ours }
            merged.finishedAt = progress.finishedAt
            progress = merged
        }
        undoneFiles.removeAll()
        do { try progress.save(to: folder.url) } catch { message = "\(ReviewProgress.fileName): \(error)" }
    }

    private var undoneFiles: Set<String> = []

    /// Keeps `content` under `.sluice-review-backups/` (a dot-folder: never part of a dataset or a final zip).
    private func backUp(_ content: Data, of url: URL, suffix: String) throws {
        let backups = folder.url.appendingPathComponent(".sluice-review-backups", isDirectory: true)
        try FileManager.default.createDirectory(at: backups, withIntermediateDirectories: true)
        let stamp = Int(now().timeIntervalSince1970 * 1000)
        let name = url.path.dropFirst(folder.url.path.count + 1).replacingOccurrences(of: "/", with: "__")
        try FileOperations.writeAtomically(content, to: backups.appendingPathComponent("\(name).\(stamp).\(suffix)"))
    }

    /// Runs a bulk action as one undo step.
    private func group(_ body: () -> Int) -> Int {
        let before = undoHistory.count
        let count = body()
        if undoHistory.count > before + 1 {
            let merged = undoHistory[before...].flatMap { $0 }
            undoHistory.removeSubrange(before...)
            undoHistory.append(merged)
        }
        return count
    }
}
