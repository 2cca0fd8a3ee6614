import Foundation

/// A decision on one image, who made it and when; persisted in `.sluice-review.json`.
public struct ReviewDecision: Codable, Sendable, Equatable {
    public enum Verdict: String, Codable, Sendable {
        case approved, rejected, edited, skipped
    }

    /// Where a decision came from: the screen, a bulk flag, or a hand edit in the folder.
    public enum Actor: String, Codable, Sendable {
        case screen, command, folder
    }

    public var verdict: Verdict
    public var by: Actor
    public var at: Date

    public init(_ verdict: Verdict, by: Actor, at: Date) {
        self.verdict = verdict
        self.by = by
        self.at = at
    }

    /// True for a decision that settles the image (a skip postpones it).
    public var isFinal: Bool { verdict != .skipped }
}
