import Foundation

/// A library job's counters as `sluice status` shows them: per stage done/total, the lookups that went online and
/// those the cache answered, the rate and the time left. Kept in job.json so status works while the daemon is down.
public struct LibraryProgress: Codable, Equatable, Sendable {
    /// One stage's count: images past it (done, off, skipped, refused or failed) of the images in the drop.
    public struct Stage: Codable, Equatable, Sendable {
        public var name: String
        public var done: Int
        public var total: Int
        public init(name: String, done: Int, total: Int) {
            self.name = name
            self.done = done
            self.total = total
        }
    }

    public var stages: [Stage]
    /// Images with every stage behind them.
    public var finished: Int
    public var total: Int
    /// Lookup attempts that asked a service (the cache's answers excluded).
    public var apiCalls: Int
    public var cacheHits: Int
    public var waitingForReview: Int
    public var waitingForQuota: Int
    public var failed: Int
    public var imagesPerMinute: Double
    /// Seconds left at the current rate; nil before the rate is known.
    public var etaSeconds: Double?

    public init(
        stages: [Stage], finished: Int, total: Int, apiCalls: Int, cacheHits: Int, waitingForReview: Int, waitingForQuota: Int,
        failed: Int, imagesPerMinute: Double, etaSeconds: Double?
    ) {
        self.stages = stages
        self.finished = finished
        self.total = total
        self.apiCalls = apiCalls
        self.cacheHits = cacheHits
        self.waitingForReview = waitingForReview
        self.waitingForQuota = waitingForQuota
        self.failed = failed
        self.imagesPerMinute = imagesPerMinute
        self.etaSeconds = etaSeconds
    }

    /// `scan 60/60 · lookup 41/60 · …`, then `38/60 images · 52 API calls · 6 cache hits · 24 img/min · ETA 1m05s`.
    public var lines: [String] {
        let perStage = stages.map { "\($0.name) \($0.done)/\($0.total)" }.joined(separator: " · ")
        var overall = "\(finished)/\(total) images · \(apiCalls) API calls · \(cacheHits) cache hits · "
            + String(format: "%.0f img/min", imagesPerMinute)
        if let etaSeconds { overall += " · ETA " + Self.duration(etaSeconds) }
        var waits: [String] = []
        if waitingForReview > 0 { waits.append("\(waitingForReview) wait for review") }
        if waitingForQuota > 0 { waits.append("\(waitingForQuota) wait for SauceNAO's quota") }
        if failed > 0 { waits.append("\(failed) with a failure") }
        return [perStage, overall] + (waits.isEmpty ? [] : [waits.joined(separator: " · ")])
    }

    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        if whole >= 3600 { return "\(whole / 3600)h\(String(format: "%02d", whole % 3600 / 60))m" }
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
