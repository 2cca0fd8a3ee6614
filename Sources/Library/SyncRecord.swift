import Foundation
import NASSync

/// One sync of final/ during a run, for the manifest: what rsync sent where, or why it failed (a failed sync is in
/// the error report but never fails the job).
public struct SyncRecord: Codable, Equatable, Sendable {
    /// The batch (1-based) it followed; nil for the sync at the end of the run.
    public var batch: Int?
    public var startedAt: Date
    public var result: SyncResult?
    public var error: String?

    public init(batch: Int?, startedAt: Date, result: SyncResult?, error: String?) {
        self.batch = batch
        self.startedAt = startedAt
        self.result = result
        self.error = error
    }
}
