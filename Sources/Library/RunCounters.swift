import Foundation

/// The run's counters (one owner: the run), shown as progress and written into the manifest. The image counts are
/// running totals over the images' summaries (`count(_:sign:)`), so they never need every record at once.
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

    public init() {}

    /// Adds one image's summary to the totals (`sign` 1), or takes it out again (`sign` -1) before its newer one is added.
    public mutating func count(_ image: ImageSummary, sign: Int) {
        total += sign
        scannedBytes += Int64(sign) * image.bytes
        if image.isFinished { finished += sign }
        if image.skipped { skipped += sign }
        if image.refused { refused += sign }
        if image.failed { failed += sign }
        if image.waitingForReview { waitingForReview += sign }
        if image.lookupWait != nil { waitingForQuota += sign }
    }

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
