import Foundation

/// A sync's live figures as `sluice status` reads them: rsync's latest `--info=progress2` reading, written by the
/// running sync (the library chain's sync stage or `sluice sync`) at most once a second, and once more at its end.
public struct SyncProgressFile: Codable, Equatable, Sendable {
    /// Where the sync is at.
    public enum State: String, Codable, Sendable {
        case running, finished, failed
        /// Written as running by a process that is gone (killed): read back as this.
        case interrupted
    }

    public var destination: String
    public var pid: Int32
    public var state: State
    public var startedAt: Date
    public var updatedAt: Date
    /// The latest reading; nil before rsync printed one.
    public var transfer: TransferProgress?

    /// The file inside a root's state folder (`.sluice/`).
    public static func path(stateFolder: String) -> String { stateFolder + "/sync-progress.json" }

    /// `sync to /mnt/nas: 45% 120.3 MB at 85.2 MB/s, ETA 0:03, 30/120 files` (or `…: finished at 2026-12-01 14:02`).
    public var summary: String {
        var line = "sync to \(destination): "
        switch state {
        case .running: line += transfer?.summary ?? "starting"
        case .finished, .failed, .interrupted:
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            line += "\(state.rawValue) at \(formatter.string(from: updatedAt))"
        }
        return line
    }

    /// The figures in `path`, nil when there are none or they cannot be read; a running sync whose process is gone
    /// reads as interrupted.
    public static func read(from path: String) -> SyncProgressFile? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        guard var figures = try? decoder.decode(SyncProgressFile.self, from: data) else { return nil }
        if figures.state == .running && kill(figures.pid, 0) != 0 && errno == ESRCH { figures.state = .interrupted }
        return figures
    }
}
