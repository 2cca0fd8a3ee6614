import Foundation

/// One HTTP request: a GET, or a multipart POST whose file parts stream from disk.
public struct HTTPRequest: Sendable {
    /// The request methods the client speaks.
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    /// One part of a multipart/form-data body.
    public enum FormPart: Sendable, Equatable {
        case text(name: String, value: String)
        /// A file sent from disk without loading it into memory.
        case file(name: String, path: String, filename: String? = nil, contentType: String? = nil)
    }

    public var method: Method
    public var url: String
    public var headers: [HTTPHeader]
    /// Non-empty for a multipart POST.
    public var form: [FormPart]
    /// Overrides the client's timeouts for this request (IQDB is slow, for example).
    public var timeouts: HTTPTimeouts?
    /// Values (API keys, logins) that must never appear in an error message or a log line.
    public var secrets: [String]
    /// For a 429 answer: how long to wait before retrying when the limit is short-term, or nil when it is not
    /// (a daily limit), in which case the 429 response is returned to the caller.
    public var shortTermRateLimitDelay: @Sendable (HTTPResponse) -> Duration?

    public init(
        method: Method = .get, url: String, headers: [HTTPHeader] = [], form: [FormPart] = [],
        timeouts: HTTPTimeouts? = nil, secrets: [String] = [],
        shortTermRateLimitDelay: @escaping @Sendable (HTTPResponse) -> Duration? = HTTPRequest.retryAfterUpToOneMinute
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.form = form
        self.timeouts = timeouts
        self.secrets = secrets
        self.shortTermRateLimitDelay = shortTermRateLimitDelay
    }

    /// A multipart POST of the given parts.
    public static func multipart(
        url: String, parts: [FormPart], headers: [HTTPHeader] = [], timeouts: HTTPTimeouts? = nil,
        secrets: [String] = []
    ) -> HTTPRequest {
        HTTPRequest(method: .post, url: url, headers: headers, form: parts, timeouts: timeouts, secrets: secrets)
    }

    /// The default 429 policy: a `Retry-After` of at most a minute is short-term; anything else is not retried.
    public static let retryAfterUpToOneMinute: @Sendable (HTTPResponse) -> Duration? = { response in
        guard let value = response.header("Retry-After"), let seconds = Int(value.trimmingCharacters(in: .whitespaces)),
            seconds >= 0, seconds <= 60
        else { return nil }
        return .seconds(seconds)
    }
}

/// One header line, kept in order because names may repeat.
public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Connect, total and low-speed limits of one transfer.
public struct HTTPTimeouts: Sendable, Equatable {
    public var connect: Duration
    public var total: Duration
    /// The transfer is aborted when it moves fewer than `lowSpeedBytesPerSecond` for `lowSpeedWindow`.
    public var lowSpeedBytesPerSecond: Int
    public var lowSpeedWindow: Duration

    public init(
        connect: Duration = .seconds(10), total: Duration = .seconds(60), lowSpeedBytesPerSecond: Int = 1,
        lowSpeedWindow: Duration = .seconds(30)
    ) {
        self.connect = connect
        self.total = total
        self.lowSpeedBytesPerSecond = lowSpeedBytesPerSecond
        self.lowSpeedWindow = lowSpeedWindow
    }
}
