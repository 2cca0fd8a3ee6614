import Foundation

/// What a finished library run tells its caller: the counters and where the manifest and error report are. The
/// report itself stays on disk (`manifest()` reads it back), so a run over any number of images returns in bounded
/// memory.
public struct RunSummary: Equatable, Sendable {
    public var job: String
    /// The report's folder: `.sluice/reports/<job>-<time>/`.
    public var folder: String
    public var counters: RunCounters
    /// Images that failed a stage other than lookup (they stop there until a later run).
    public var stopped: Int

    public var manifestPath: String { folder + "/manifest.json" }
    public var errorsPath: String { folder + "/errors.txt" }

    /// Reads the whole manifest back (every image's record: for tests and tools, not for huge drops).
    public func manifest() throws -> RunReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(RunReport.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
    }
}
