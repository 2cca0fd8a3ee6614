import Foundation

/// An HTTP client over libcurl: honest User-Agent, timeouts, retries with backoff, and cancellation.
public struct HTTPClient: Sendable {
    /// Everything that shapes how requests are sent.
    public struct Configuration: Sendable {
        /// Sent on every request, for example `sluice/0.1 (+mailto:me@example.org)`.
        public var userAgent: String
        public var timeouts: HTTPTimeouts
        public var retry: RetryPolicy
        public var maximumBodyBytes: Int

        public init(
            userAgent: String, timeouts: HTTPTimeouts = HTTPTimeouts(), retry: RetryPolicy = RetryPolicy(),
            maximumBodyBytes: Int = 32 << 20
        ) {
            self.userAgent = userAgent
            self.timeouts = timeouts
            self.retry = retry
            self.maximumBodyBytes = maximumBodyBytes
        }
    }

    /// A User-Agent that says who we are and how to reach the operator (generic agents get 403 from Cloudflare).
    public static func userAgent(version: String, contact: String?) -> String {
        guard let contact, !contact.isEmpty else { return "sluice/\(version)" }
        return "sluice/\(version) (+\(contact))"
    }

    public let configuration: Configuration
    public let time: any TimeSource
    private let jitter: @Sendable () -> Double

    /// - Parameter jitter: a source of numbers in 0...1 for backoff jitter; tests pass a constant.
    public init(
        configuration: Configuration, time: any TimeSource = SystemTime(),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }
    ) {
        self.configuration = configuration
        self.time = time
        self.jitter = jitter
    }

    /// Sends the request, retrying timeouts, connection failures, 5xx and short-term 429 with backoff.
    ///
    /// Any HTTP status is returned as a response (a 5xx only after the retries ran out); a failure without a
    /// response throws `HTTPClientError`, and task cancellation aborts the transfer and throws `CancellationError`.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let redactor = SecretRedactor(secrets: request.secrets)
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let outcome = await sendOnce(request, redactor: redactor)
            let canRetry = configuration.retry.allowsRetry(afterAttempt: attempt)
            let backoff = configuration.retry.delay(afterAttempt: attempt, jitter: jitter())
            switch outcome {
            case .success(var response):
                response.attempts = attempt
                if canRetry && (500..<600).contains(response.status) {
                    try await time.sleep(for: backoff)
                } else if canRetry && response.status == 429, let wait = request.shortTermRateLimitDelay(response) {
                    try await time.sleep(for: max(wait, backoff))
                } else {
                    return response
                }
            case .failure(var error):
                error.attempts = attempt
                if error.kind == .cancelled { throw CancellationError() }
                guard canRetry && error.isTransient else { throw error }
                try await time.sleep(for: backoff)
            }
        }
    }

    private func sendOnce(_ request: HTTPRequest, redactor: SecretRedactor) async -> Result<HTTPResponse, HTTPClientError> {
        let state = TransferState(maximumBodyBytes: configuration.maximumBodyBytes)
        let timeouts = request.timeouts ?? configuration.timeouts
        let userAgent = configuration.userAgent
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // libcurl blocks, so each transfer gets a thread of its own instead of a cooperative-pool thread.
                let thread = Thread {
                    continuation.resume(
                        returning: CurlTransfer.perform(
                            request, userAgent: userAgent, timeouts: timeouts, state: state, redactor: redactor))
                }
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            state.cancel()
        }
    }
}
