import Foundation

/// How one stage ended for one image, with the time it took and what to tell the user.
public struct StageOutcome: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        /// The stage did its work.
        case done
        /// The stage is switched off, or outside the run's `--from`/`--to`.
        case off
        /// The image already carries Sluice's processed marker: it goes no further.
        case skipped
        /// The image is unreadable or refused: it goes no further.
        case refused
        /// The stage waits: for the user's review, for a quota reset, or for a retry later in the run.
        case waiting
        /// The stage failed. After a lookup the image goes on untagged; after any other stage it stops here and
        /// the next run tries again.
        case failed
    }

    public var status: Status
    /// Why, for the manifest and the error report (never holds secrets).
    public var detail: String?
    public var milliseconds: Double
    /// How many times the stage ran for this image (lookup retries count).
    public var attempts: Int

    public init(status: Status, detail: String? = nil, milliseconds: Double = 0, attempts: Int = 1) {
        self.status = status
        self.detail = detail
        self.milliseconds = milliseconds
        self.attempts = attempts
    }

    /// Whether the image may go on to the next stage.
    func letsImageGoOn(after stage: LibraryStage) -> Bool {
        switch status {
        case .done, .off: true
        case .failed: stage == .lookup
        case .skipped, .refused, .waiting: false
        }
    }
}
