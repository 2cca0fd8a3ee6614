import Foundation
import TagNormalization

/// The seam between the pipeline and the tag normalization engine: step F and step H call only this.
public protocol CaptionRules: Sendable {
    /// The preset's resolved JSON (what it does, wherever it came from), kept in the job folder when a job starts.
    var resolvedPreset: String { get }

    /// Step F: normalizes the captions at `paths` (relative to `folder`, sorted) in two streamed passes of
    /// `batchSize` captions, the first only counting tags: `load` reads a caption's bytes at a full path (nil when it
    /// has none), and `write` gets each normalized batch in order, with the positions of `paths` it covers, and keeps
    /// each changed caption's original in `backupDirectory` (same relative path). Returns a short human summary of
    /// what changed, for the REVIEW file and the log.
    func normalizeCaptions(
        in folder: URL, paths: [String], batchSize: Int, backupDirectory: URL, load: @Sendable (String) throws -> Data?,
        write: (_ positions: Range<Int>, _ captions: [NormalizedCaption]) throws -> Void
    ) throws -> String

    /// Step H: the final one-line caption for a reviewed caption's text (`file` names it in errors).
    func finalCaption(_ text: String, file: String) throws -> String
}
