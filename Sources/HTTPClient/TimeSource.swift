import Foundation

/// The wall clock and the sleep the client and the pacer use, injectable so tests drive time instead of waiting.
public protocol TimeSource: Sendable {
    /// The current wall-clock time (quota state is stored across restarts, so it is a `Date`).
    var now: Date { get }
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

extension TimeSource {
    /// Suspends until `date`, returning at once when it has passed.
    public func sleep(until date: Date) async throws {
        let seconds = date.timeIntervalSince(now)
        if seconds > 0 { try await sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up)))) }
    }
}

/// Real time: `Date()` and `Task.sleep`.
public struct SystemTime: TimeSource {
    public init() {}

    public var now: Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
