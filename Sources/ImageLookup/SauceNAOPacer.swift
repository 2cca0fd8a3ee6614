import Foundation

/// The limits and remaining counts one SauceNAO answer reported (negative remaining counts mean none left).
public struct SauceNAOLimits: Codable, Sendable, Equatable {
    /// Searches allowed per 30 seconds.
    public var shortLimit: Int?
    /// Searches allowed per 24 hours.
    public var longLimit: Int?
    public var shortRemaining: Int?
    public var longRemaining: Int?

    public init(shortLimit: Int? = nil, longLimit: Int? = nil, shortRemaining: Int? = nil, longRemaining: Int? = nil) {
        self.shortLimit = shortLimit
        self.longLimit = longLimit
        self.shortRemaining = shortRemaining
        self.longRemaining = longRemaining
    }
}

/// Decides when the next SauceNAO search may go out so that no limit is ever hit: a pure value fed by each answer's
/// limits and the clock, stored between runs so the daily state survives restarts.
public struct SauceNAOPacer: Codable, Sendable, Equatable {
    /// What to do before the next search.
    public enum Decision: Sendable, Equatable {
        case proceed
        /// The 30-second window is full: wait until then.
        case wait(until: Date)
        /// The daily quota is spent: no search until then.
        case dailyLimitReached(until: Date)
    }

    public static let shortWindow: TimeInterval = 30
    public static let longWindow: TimeInterval = 24 * 3600

    /// Added to the 30-second window so clock skew and transfer time never make a search land early.
    public var margin: TimeInterval
    /// The latest limits the service reported.
    public private(set) var limits = SauceNAOLimits()
    /// When those limits were reported.
    public private(set) var limitsObservedAt: Date?
    /// When each counted search finished, for the last 24 hours.
    public private(set) var searches: [Date] = []
    public private(set) var shortBlockedUntil: Date?
    public private(set) var dailyBlockedUntil: Date?

    public init(margin: TimeInterval = 0.5) {
        self.margin = margin
    }

    /// When the next search may start.
    public func decision(at now: Date) -> Decision {
        if let until = dailyResetTime(at: now) { return .dailyLimitReached(until: until) }
        var earliest = now
        if let blocked = shortBlockedUntil, blocked > earliest { earliest = blocked }
        let window = Self.shortWindow + margin
        let recent = searches.filter { $0 > now.addingTimeInterval(-window) }
        if let limit = limits.shortLimit, limit > 0, recent.count >= limit {
            // The oldest searches must age out until fewer than `limit` remain in the window.
            earliest = max(earliest, recent[recent.count - limit].addingTimeInterval(window))
        }
        if let remaining = limits.shortRemaining, let free = freeTime(remaining: remaining, window: window), free > earliest {
            earliest = free
        }
        return earliest > now ? .wait(until: earliest) : .proceed
    }

    /// A search finished and was counted; `limits` are those its answer reported, if any.
    public mutating func recordSearch(at time: Date, limits reported: SauceNAOLimits?) {
        searches.append(time)
        searches.sort()
        searches.removeAll { $0 <= time.addingTimeInterval(-Self.longWindow) }
        if let reported {
            limits.shortLimit = reported.shortLimit ?? limits.shortLimit
            limits.longLimit = reported.longLimit ?? limits.longLimit
            limits.shortRemaining = reported.shortRemaining
            limits.longRemaining = reported.longRemaining
            limitsObservedAt = time
        }
    }

    /// SauceNAO answered 429 for the 30-second limit despite pacing (another client shares the key, say).
    public mutating func recordShortLimitHit(at time: Date) {
        shortBlockedUntil = time.addingTimeInterval(Self.shortWindow + margin)
    }

    /// SauceNAO answered 429 for the daily limit: nothing until the oldest counted search is a day old.
    public mutating func recordDailyLimitHit(at time: Date) {
        let oldest = searches.first { $0 > time.addingTimeInterval(-Self.longWindow) }
        dailyBlockedUntil = (oldest ?? time).addingTimeInterval(Self.longWindow)
    }

    /// When a slot frees in a window, from the remaining count the service last reported: that count, less the
    /// searches made since, plus the searches of its window that have aged out since. Nil when a slot is free now
    /// or nothing was reported.
    private func freeTime(remaining: Int, window: TimeInterval) -> Date? {
        guard let observed = limitsObservedAt else { return nil }
        let searchesSince = searches.filter { $0 > observed }.count
        let needed = searchesSince - max(remaining, 0) + 1
        guard needed > 0 else { return nil }
        let inWindowThen = searches.filter { $0 > observed.addingTimeInterval(-window) && $0 <= observed }
        return needed <= inWindowThen.count
            ? inWindowThen[needed - 1].addingTimeInterval(window) : observed.addingTimeInterval(window)
    }

    /// When the daily quota frees again, or nil when searches remain today.
    private func dailyResetTime(at now: Date) -> Date? {
        if let blocked = dailyBlockedUntil, blocked > now { return blocked }
        let today = searches.filter { $0 > now.addingTimeInterval(-Self.longWindow) }
        let resetFromHistory = today.first.map { $0.addingTimeInterval(Self.longWindow) }
        if let limit = limits.longLimit, limit > 0, today.count >= limit, let reset = resetFromHistory { return reset }
        if let remaining = limits.longRemaining, let free = freeTime(remaining: remaining, window: Self.longWindow),
            free > now
        {
            return free
        }
        return nil
    }
}
