import Foundation

/// A transfer that produced no HTTP response; messages name the (redacted) URL and what to do.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable, Equatable {
    /// Why the transfer failed, one stable case per failure.
    public enum Kind: Sendable, Equatable {
        case timedOut
        /// Refused, reset, unresolvable host, or a truncated answer.
        case connectionFailed
        case cancelled
        /// The body passed the client's size limit.
        case bodyTooLarge
        /// A file to upload could not be read.
        case unreadableFile(path: String)
        /// Any other libcurl failure (bad URL, TLS, unsupported protocol).
        case transport
    }

    public var kind: Kind
    /// The URL with secrets replaced by `REDACTED`.
    public var url: String
    /// libcurl's own explanation, redacted too.
    public var detail: String
    public var attempts: Int

    public init(kind: Kind, url: String, detail: String, attempts: Int = 1) {
        self.kind = kind
        self.url = url
        self.detail = detail
        self.attempts = attempts
    }

    /// Timeouts and connection failures may go away on their own; the others will not.
    public var isTransient: Bool {
        kind == .timedOut || kind == .connectionFailed
    }

    public var description: String {
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        switch kind {
        case .timedOut:
            return "\(url): timed out\(tries) (\(detail)); the service may be slow or down, try again later"
        case .connectionFailed:
            return "\(url): connection failed\(tries) (\(detail)); check the endpoint and the network or proxy"
        case .cancelled:
            return "\(url): cancelled"
        case .bodyTooLarge:
            return "\(url): the answer is larger than the client accepts (\(detail))"
        case .unreadableFile(let path):
            return "\(path): cannot be read for upload to \(url) (\(detail)); check that it exists and is readable"
        case .transport:
            return "\(url): request failed\(tries) (\(detail))"
        }
    }
}
