import Foundation

/// One reading of rsync's `--info=progress2` line: the whole transfer's bytes, percent, rate and time left.
public struct TransferProgress: Codable, Equatable, Sendable {
    public var bytes: Int64
    public var percent: Int
    public var bytesPerSecond: Double
    /// rsync's estimate of the time left (or, on the final line of a file, the time taken).
    public var remainingSeconds: Int
    /// Files still to check and the total known so far (`to-chk=A/B`), when rsync printed them.
    public var filesToCheck: Int?
    public var filesTotal: Int?

    /// Parses a line like `  1,234,567  45%   12.34MB/s    0:00:03 (xfr#3, to-chk=7/12)`; nil for any other line.
    public init?(line: some StringProtocol) {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 4, fields[1].hasSuffix("%"), fields[2].hasSuffix("/s"),
              let bytes = Int64(String(fields[0].filter { $0 != "," && $0 != "." && $0 != "'" })),
              let percent = Int(fields[1].dropLast()),
              let rate = TransferProgress.rate(String(fields[2].dropLast(2))),
              let remaining = TransferProgress.seconds(String(fields[3]))
        else { return nil }
        self.bytes = bytes
        self.percent = percent
        self.bytesPerSecond = rate
        self.remainingSeconds = remaining
        if let check = line.range(of: "to-chk=") ?? line.range(of: "ir-chk=") {
            let counts = line[check.upperBound...].prefix { $0 != ")" }.split(separator: "/")
            if counts.count == 2 {
                filesToCheck = Int(counts[0])
                filesTotal = Int(counts[1])
            }
        }
    }

    /// `12.34MB` → bytes per second (rsync uses powers of 1024 for kB/MB/GB).
    static func rate(_ text: String) -> Double? {
        let units: [(String, Double)] = [("TB", 1_099_511_627_776), ("GB", 1_073_741_824), ("MB", 1_048_576), ("kB", 1024), ("B", 1)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            return Double(text.dropLast(suffix.count)).map { $0 * scale }
        }
        return nil
    }

    /// `1:02:03` or `0:03` → seconds.
    static func seconds(_ text: String) -> Int? {
        let parts = text.split(separator: ":").map { Int($0) }
        guard !parts.isEmpty, parts.count <= 3, parts.allSatisfy({ $0 != nil }) else { return nil }
        return parts.reduce(0) { $0 * 60 + ($1 ?? 0) }
    }

    /// Files done of those known so far, when rsync printed `to-chk`.
    public var filesDone: Int? {
        guard let filesToCheck, let filesTotal else { return nil }
        return filesTotal - filesToCheck
    }

    /// `45% 120.3 MB at 85.2 MB/s, ETA 0:03, 30/120 files` for a terminal line and `sluice status`.
    public var summary: String {
        let megabytes = Double(bytes) / 1_048_576
        let rate = bytesPerSecond / 1_048_576
        let eta = String(format: "%d:%02d", remainingSeconds / 60, remainingSeconds % 60)
        let files = filesDone.map { ", \($0)/\(filesTotal ?? 0) files" } ?? ""
        return String(format: "%3d%% %.1f MB at %.1f MB/s, ETA ", percent, megabytes, rate) + eta + files
    }
}
