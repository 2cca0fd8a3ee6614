import Foundation

/// Every path of one job under `.sluice/jobs/<id>/`, named here once: steps and the engine ask it, never spell a
/// file name themselves. Staging folders sit beside what they become, so a rename publishes them atomically.
public struct JobFolder: Sendable, Equatable {
    public let url: URL

    public init(_ url: URL) { self.url = url }

    // The drop (adopt).
    /// The job's own copy of the drop, never modified.
    public var source: URL { folder("source") }
    public var sourceStaging: URL { folder("source.staging") }

    /// The running step's live figures (done, total, rate, ETA), rewritten at most once a second for `sluice status`.
    public var liveProgress: URL { file("progress.json") }

    // A: index.
    public var index: URL { file("index.json") }
    /// Images indexed so far, appended per batch as JSON lines so a restart continues.
    public var indexCheckpoint: URL { file("index.partial.jsonl") }

    // B–E: the auto-tagger round trip.
    public var uploadManifest: URL { file("autotag-manifest.json") }
    /// Metadata-stripped copies of the images while the upload zip is written.
    public var uploadCopies: URL { work.appendingPathComponent("upload-copies", isDirectory: true) }
    public var resultMapping: URL { file("result-mapping.json") }
    /// The result zip's safely extracted entries.
    public var resultFolder: URL { folder("result") }
    public var resultZip: URL { file("result.zip") }
    public var captionsFromResult: URL { work.appendingPathComponent("captions-from-result", isDirectory: true) }
    public var captionsFromResultStaging: URL { work.appendingPathComponent("captions-from-result.staging", isDirectory: true) }

    // B (local): captions from the configured analyzer.
    /// The images (linked) with the analyzer's captions, published by a rename when every image was asked.
    public var captionsFromAnalyzer: URL { work.appendingPathComponent("captions-from-analyzer", isDirectory: true) }
    /// Kept across a restart: captions already written there are neither asked for again nor rewritten.
    public var captionsFromAnalyzerStaging: URL { work.appendingPathComponent("captions-from-analyzer.staging", isDirectory: true) }
    /// The drop's own captions, copied once before the analyzer's caption replaces them.
    public var localCaptionBackups: URL { backups.appendingPathComponent("local-caption", isDirectory: true) }

    // F: normalize.
    /// The preset the job runs with, resolved and frozen when the job started.
    public var preset: URL { file("preset.json") }
    public var normalized: URL { work.appendingPathComponent("normalized", isDirectory: true) }
    public var normalizedStaging: URL { work.appendingPathComponent("normalized.staging", isDirectory: true) }
    /// How far the staging folder's durable file work got (images staged, captions written), so a restart continues.
    public var normalizeProgress: URL { file("normalize.progress.json") }
    public var normalizeBackups: URL { backups.appendingPathComponent("normalize", isDirectory: true) }
    public var normalizeSummary: URL { file("normalize-summary.md") }
    /// SHA-256 of each caption as normalization left it, to count the user's edits.
    public var captionFingerprints: URL { file("normalized-captions.json") }

    // G: review.
    /// The reviewed dataset, taken back from review/ or reviewed/.
    public var reviewedCopy: URL { work.appendingPathComponent("reviewed", isDirectory: true) }

    // H: final cleanup.
    public var finalStage: URL { work.appendingPathComponent("final", isDirectory: true) }
    public var finalStaging: URL { work.appendingPathComponent("final.staging", isDirectory: true) }

    // I: final zip.
    /// The entries already in the final zip's `.partial`, appended per chunk as JSON lines so a restart continues.
    public var finalZipCheckpoint: URL { file("final-zip.partial.jsonl") }

    public var work: URL { folder("work") }
    public var backups: URL { folder("backups") }

    private func folder(_ name: String) -> URL { url.appendingPathComponent(name, isDirectory: true) }
    private func file(_ name: String) -> URL { url.appendingPathComponent(name) }
}
