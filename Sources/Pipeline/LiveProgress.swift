import Foundation
import Logging
import SystemIO

/// A running step's figures as `sluice status` reads them from the job folder's progress file.
public struct ProgressFigures: Codable, Sendable, Equatable {
    public var step: String
    public var done: Int
    public var total: Int
    public var bytes: Int64
    public var startedAt: Date
    public var updatedAt: Date

    /// Images per minute since the step started.
    public var imagesPerMinute: Double {
        let elapsed = updatedAt.timeIntervalSince(startedAt)
        return elapsed > 0 ? Double(done) / elapsed * 60 : 0
    }

    /// Megabytes (10^6) per second since the step started; 0 when the step does not count bytes.
    public var megabytesPerSecond: Double {
        let elapsed = updatedAt.timeIntervalSince(startedAt)
        return elapsed > 0 ? Double(bytes) / elapsed / 1_000_000 : 0
    }

    /// Seconds left at the rate so far; nil before the first image.
    public var secondsLeft: Double? {
        let rate = imagesPerMinute
        return rate > 0 ? Double(max(total - done, 0)) / rate * 60 : nil
    }

    /// `120/3000  1,234 img/min  45.6 MB/s  ETA 2m20s`: the one line a terminal, a log and `sluice status` show.
    public var summary: String {
        var line = "\(done)/\(total)  \(Int(imagesPerMinute.rounded())) img/min"
        if bytes > 0 { line += String(format: "  %.1f MB/s", megabytesPerSecond) }
        if done < total, let left = secondsLeft { line += "  ETA \(Self.duration(left))" }
        return line
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }

    /// The figures in `file`, or nil when there are none (no long step ran yet) or they cannot be read.
    public static func read(from file: URL) -> ProgressFigures? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(ProgressFigures.self, from: data)
    }
}

/// Routes each long step's per-batch report to the terminal line (when there is one), to a log line otherwise
/// (journald gets one per batch), and to the job's progress file at most once a second.
final class LiveProgress: @unchecked Sendable {
    // Safe: `running`, `lastWrite` and `finishedAt` are only touched with `lock` held.
    private let lock = NSLock()
    private var running: [String: ProgressFigures] = [:]
    private var lastWrite: [String: Date] = [:]
    /// The count each step last finished at, so a repeated final report is dropped.
    private var finishedAt: [String: Int] = [:]
    private let terminal: ProgressLine?
    private let now: @Sendable () -> Date
    /// Live figures are not durable state: a rename keeps readers from seeing half a file, no fsync.
    private let writer = DurableBatch(flush: .renameOnly, threads: 1)

    init(terminal: ProgressLine?, now: @escaping @Sendable () -> Date) {
        self.terminal = terminal
        self.now = now
    }

    func update(job: String, step: String, file: URL, done: Int, total: Int, bytes: Int64, logger: Logger) {
        lock.withLock {
            let key = job + "\u{0}" + step
            // A step that reports its last batch and then its end says the same thing twice: show it once.
            if running[key] == nil, finishedAt[key] == done, done >= total { return }
            finishedAt[key] = nil
            let time = now()
            var figures = running[key] ?? ProgressFigures(step: step, done: 0, total: total, bytes: 0, startedAt: time, updatedAt: time)
            figures.done = done
            figures.total = total
            figures.bytes = max(figures.bytes, bytes)
            figures.updatedAt = time
            running[key] = figures
            let finished = done >= total
            if let terminal {
                terminal.draw(job: job, step: step, figures: figures)
            } else if done > 0 {
                logger.info("\(step): \(figures.summary)", metadata: ["job": "\(job)"])
            }
            if finished || time.timeIntervalSince(lastWrite[key] ?? .distantPast) >= 1 {
                lastWrite[key] = time
                let encoder = JSONEncoder()
                encoder.dateEncodingStrategy = .iso8601
                if let data = try? encoder.encode(figures) {
                    _ = writer.write([DurableBatch.Write(path: file.path, bytes: Array(data))])
                }
            }
            if finished {
                finishedAt[key] = done
                running[key] = nil
                lastWrite[key] = nil
            }
        }
    }
}
