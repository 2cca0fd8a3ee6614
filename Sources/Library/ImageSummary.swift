/// What the counters, the progress line and a job's next step need to know about one image: a few bytes kept for
/// every image of a drop, while the image's full record stays in the checkpoint journal until its batch is in hand.
public struct ImageSummary: Equatable, Sendable {
    /// Why an image's lookup waits.
    public enum LookupWait: UInt8, Sendable {
        /// SauceNAO's daily quota is spent.
        case quota
        /// A service was down: retried later in the run.
        case retry
        case other
    }

    /// How a quota wait's detail starts (`LibraryRun` writes it).
    public static let quotaWaitPrefix = "SauceNAO daily limit reached"
    /// How a "service was down, retry later" wait's detail starts.
    public static let retryWaitPrefix = "retry later"

    public var batch: Int
    /// The first stage the image still has to pass; nil when finished or stopped for good.
    public var nextStage: LibraryStage?
    /// The image's size, once scanned.
    public var bytes: Int64
    public var skipped: Bool
    public var refused: Bool
    /// Some stage failed (a failed lookup included: the image went on untagged).
    public var failed: Bool
    /// A stage other than lookup failed: the image stopped there until a later run.
    public var stopped: Bool
    public var waitingForReview: Bool
    public var lookupWait: LookupWait?
    /// The lookup was answered entirely from the cache.
    public var cacheHit: Bool
    /// Requests the lookup made to the services (0 for a cache hit or a lookup that was off).
    public var apiCalls: Int

    public var isFinished: Bool { nextStage == nil }

    public init(_ record: ImageRecord) {
        batch = record.batch
        nextStage = record.nextStage
        bytes = record.facts?.bytes ?? 0
        skipped = record.outcome(.scan)?.status == .skipped
        refused = record.outcome(.scan)?.status == .refused
        failed = record.outcomes.values.contains { $0.status == .failed }
        stopped = record.outcomes.contains { $0.key != LibraryStage.lookup.rawValue && $0.value.status == .failed }
        waitingForReview = record.outcome(.review)?.status == .waiting
        let lookup = record.outcome(.lookup)
        if let lookup, lookup.status == .waiting {
            let detail = lookup.detail ?? ""
            lookupWait = detail.hasPrefix(Self.quotaWaitPrefix) ? .quota : detail.hasPrefix(Self.retryWaitPrefix) ? .retry : .other
        }
        cacheHit = record.lookup?.fromCache == true
        apiCalls = cacheHit ? 0 : lookup.map { $0.status == .off ? 0 : $0.attempts } ?? 0
    }
}
