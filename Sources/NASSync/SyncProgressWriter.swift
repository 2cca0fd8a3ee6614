import Foundation

/// Writes one sync's `SyncProgressFile`: each reading at most once a second, the start and the end always (one owner:
/// the sync that runs rsync).
struct SyncProgressWriter {
    let path: String
    private var figures: SyncProgressFile
    private var lastWrite = Date.distantPast

    init(path: String, destination: String, now: Date = Date()) {
        self.path = path
        figures = SyncProgressFile(destination: destination, pid: getpid(), state: .running, startedAt: now, updatedAt: now)
        write()
    }

    mutating func record(_ reading: TransferProgress, now: Date = Date()) {
        var reading = reading
        // rsync prints the file counts only as a file ends: a reading in the middle of one keeps the last counts.
        if reading.filesTotal == nil {
            reading.filesToCheck = figures.transfer?.filesToCheck
            reading.filesTotal = figures.transfer?.filesTotal
        }
        figures.transfer = reading
        figures.updatedAt = now
        guard now.timeIntervalSince(lastWrite) >= 1 else { return }
        write()
    }

    mutating func finish(_ state: SyncProgressFile.State, now: Date = Date()) {
        figures.state = state
        figures.updatedAt = now
        write()
    }

    /// Replaces the file by rename (a reader never sees half of it); live figures are not worth an fsync.
    private mutating func write() {
        lastWrite = figures.updatedAt
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(figures) else { return }
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
