import Foundation

/// Stops calling a service that stopped answering (refused connections, timeouts), so an offline batch fails fast
/// instead of waiting out every retry for every image; the service is tried again after a cooldown.
struct ServiceAvailability: Sendable, Equatable {
    /// Consecutive images whose request found the service unreachable before it is set aside.
    var threshold = 2
    var cooldown: TimeInterval = 300
    private var consecutiveFailures: [LookupFailure.Service: Int] = [:]
    private var setAsideUntil: [LookupFailure.Service: Date] = [:]

    /// When the service may be called again, or nil when it may be called now.
    func setAside(_ service: LookupFailure.Service, at now: Date) -> Date? {
        guard let until = setAsideUntil[service], until > now else { return nil }
        return until
    }

    mutating func recordAnswer(from service: LookupFailure.Service) {
        consecutiveFailures[service] = 0
        setAsideUntil[service] = nil
    }

    mutating func recordUnreachable(_ service: LookupFailure.Service, at now: Date) {
        let count = (consecutiveFailures[service] ?? 0) + 1
        consecutiveFailures[service] = count
        if count >= threshold { setAsideUntil[service] = now.addingTimeInterval(cooldown) }
    }
}
