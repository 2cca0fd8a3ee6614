import ArgumentParser
import Foundation
import ReviewScreen
import ReviewSession
import TerminalUI

/// `sluice review`: the review screen for a library batch or a dataset job, or bulk decisions without a screen.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review tags and captions waiting in review/: a terminal screen, or bulk decisions for scripts.")

    @Argument(help: "A batch folder (path or name under review/) or a dataset job (id, prefix or name); default: the oldest waiting.")
    var target: String?

    @Option(help: "The root (default: $SLUICE_ROOT, then the current folder).")
    var root: String?

    @Option(help: "Thumbnails: kitty, iterm, sixel, blocks or none (default: detected).")
    var thumbnails: String?

    @Flag(help: "Approve every waiting image as its file says, without a screen.")
    var approveAll = false

    @Flag(help: "Reject every waiting image (library: delete the tags files; dataset: empty the captions, backed up).")
    var rejectAll = false

    @Option(help: "Approve every waiting image whose best confidence is at least N (without --approve-all/--reject-all: no screen); also the screen's threshold key.")
    var approveAbove: Double?

    func validate() throws {
        if approveAll && rejectAll { throw ValidationError("--approve-all and --reject-all exclude each other") }
        if let thumbnails, ThumbnailMode(rawValue: thumbnails) == nil {
            throw ValidationError("--thumbnails must be one of kitty, iterm, sixel, blocks, none")
        }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let rootURL = URL(fileURLWithPath: root ?? environment["SLUICE_ROOT"] ?? FileManager.default.currentDirectoryPath)
        let waiting: WaitingReview
        if let target {
            waiting = try WaitingReviews.resolve(target, root: rootURL)
        } else if let oldest = WaitingReviews.all(root: rootURL).first {
            waiting = oldest
        } else {
            throw ReviewError.nothingWaiting(root: rootURL.path)
        }
        let session = try ReviewSession(folder: waiting.open())

        if approveAll || rejectAll || approveAbove != nil && !RawTerminal.isInteractive || approveAbove != nil && (approveAll || rejectAll) {
            bulk(session, label: waiting.label)
            return
        }
        guard RawTerminal.isInteractive else {
            throw ValidationError(
                "the review screen needs a terminal on stdin and stdout; without one use --approve-all, --reject-all or --approve-above N")
        }
        if let approveAbove, approveAbove >= 0 {
            let count = session.approveConfident(threshold: approveAbove, by: .command)
            print("\(waiting.label): approved \(count) images at or above \(approveAbove)%")
            return
        }
        ReviewScreen(
            session: session, label: waiting.label, thumbnails: thumbnails.flatMap(ThumbnailMode.init(rawValue:)),
            threshold: 90, environment: environment
        ).run()
        let state = session.state
        print("\(waiting.label): \(state.decidedCount) of \(state.images.count) decided" + (state.isFinished ? ", batch approved" : ""))
    }

    private func bulk(_ session: ReviewSession, label: String) {
        var counts: [String] = []
        if let approveAbove {
            counts.append("\(session.approveConfident(threshold: approveAbove, by: .command)) approved at or above \(approveAbove)%")
        }
        if approveAll { counts.append("\(session.approveAllRemaining(by: .command)) approved") }
        if rejectAll { counts.append("\(session.rejectAllRemaining(by: .command)) rejected") }
        let state = session.state
        print("\(label): " + counts.joined(separator: ", ") + "; \(state.pendingIndices.count) waiting"
            + (state.isFinished ? "; batch approved (RESUME written)" : ""))
    }
}
