/// How often and how patiently a failed request is retried: exponential backoff with jitter, capped.
public struct RetryPolicy: Sendable, Equatable {
    /// Total attempts, the first included; 1 means no retry.
    public var maxAttempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int = 4, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(30)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Never retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt `attempt` (1-based): `base · 2^(attempt-1)`, capped, of which the upper half is
    /// scaled by `jitter` in 0...1 so that clients failing together do not retry together.
    public func delay(afterAttempt attempt: Int, jitter: Double) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let full = min(baseDelay.seconds * Double(1 << exponent), maxDelay.seconds)
        let clampedJitter = min(max(jitter, 0), 1)
        let seconds = full / 2 + full / 2 * clampedJitter
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }

    /// Whether another attempt is allowed after `attempt` attempts.
    public func allowsRetry(afterAttempt attempt: Int) -> Bool { attempt < maxAttempts }
}
