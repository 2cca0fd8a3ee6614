import Foundation

/// The run's counters (one owner: the run), shown as progress and written into the manifest.
public struct RunCounters: Codable, Equatable, Sendable {
    public var total = 0
    public var finished = 0
    public var scannedBytes: Int64 = 0
    /// Lookups that asked at least one service.
    public var onlineLookups = 0
    /// Lookups answered entirely from the cache.
    public var cacheHits = 0
    public var skipped = 0
    public var refused = 0
    public var failed = 0
    public var waitingForReview = 0
    public var waitingForQuota = 0

    /// `12/100 images · 8 online lookups · 3 cache hits · 41 img/min · 2.3 MB/s · ETA 2m10s`.
    public func line(elapsed: TimeInterval) -> String {
        let seconds = max(elapsed, 0.001)
        let perMinute = Double(finished) / seconds * 60
        let megabytesPerSecond = Double(scannedBytes) / 1_000_000 / seconds
        let remaining = perMinute > 0 ? Double(total - finished) / perMinute * 60 : 0
        let eta = remaining >= 60 ? "\(Int(remaining) / 60)m\(Int(remaining) % 60)s" : "\(Int(remaining.rounded()))s"
        return "\(finished)/\(total) images · \(onlineLookups) online lookups · \(cacheHits) cache hits · "
            + String(format: "%.0f img/min · %.1f MB/s · ETA ", perMinute, megabytesPerSecond) + eta
    }
}
