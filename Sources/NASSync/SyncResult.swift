import Foundation

/// What one sync did, as a value the library manifest records.
public struct SyncResult: Codable, Equatable, Sendable {
    /// The destination as configured (rsync passwords never appear in it: they come from RSYNC_PASSWORD).
    public var destination: String
    public var source: String
    public var dryRun: Bool
    public var mirror: Bool
    public var startedAt: Date
    public var finishedAt: Date
    /// rsync runs of the transfer itself (1 when the first succeeded).
    public var attempts: Int
    /// Paths relative to `final/` whose content was sent (in a dry run: would be sent).
    public var sent: [String]
    public var bytesSent: Int64
    /// Paths deleted on the destination (mirror only).
    public var deleted: [String]
    /// Whether a checksum pass confirmed every sent file (and its image or sidecar partner) on the destination.
    public var verified: Bool
    /// Local files removed after verification (`sync.remove_local_after_verify`).
    public var removedLocally: [String]

    public init(
        destination: String, source: String, dryRun: Bool, mirror: Bool, startedAt: Date, finishedAt: Date,
        attempts: Int, sent: [String], bytesSent: Int64, deleted: [String], verified: Bool, removedLocally: [String]
    ) {
        self.destination = destination
        self.source = source
        self.dryRun = dryRun
        self.mirror = mirror
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.attempts = attempts
        self.sent = sent
        self.bytesSent = bytesSent
        self.deleted = deleted
        self.verified = verified
        self.removedLocally = removedLocally
    }

    /// One line for the terminal and the log.
    public var summary: String {
        let megabytes = String(format: "%.1f MB", Double(bytesSent) / 1_048_576)
        let verb = dryRun ? "would send" : "sent"
        var text = "\(verb) \(sent.count) file(s) (\(megabytes)) to \(destination)"
        if mirror { text += ", \(dryRun ? "would delete" : "deleted") \(deleted.count)" }
        if !dryRun { text += verified ? ", verified by checksum" : "" }
        if !removedLocally.isEmpty { text += ", removed \(removedLocally.count) local file(s)" }
        if attempts > 1 { text += " (\(attempts) attempts)" }
        return text
    }
}
