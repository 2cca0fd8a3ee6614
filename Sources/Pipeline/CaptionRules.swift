import Foundation

/// The seam between the pipeline and the tag normalization engine: step F and step H call only this.
public protocol CaptionRules: Sendable {
    /// The preset's resolved JSON (what it does, wherever it came from), kept in the job folder when a job starts.
    var resolvedPreset: String { get }

    /// Step F: normalizes every caption under `folder` in place, backing up each original into `backupDirectory`
    /// (same relative path) first; returns a short human summary of what changed, for the REVIEW file and the log.
    func normalizeDataset(at folder: URL, backupDirectory: URL) throws -> String

    /// Step H: the final one-line caption for a reviewed caption's text (`file` names it in errors).
    func finalCaption(_ text: String, file: String) throws -> String
}
