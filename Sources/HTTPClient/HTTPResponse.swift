import Foundation

/// What the server answered: status, headers of the final response (after redirects) and the body.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: Data
    /// How many attempts it took, retries included.
    public var attempts: Int

    public init(status: Int, headers: [HTTPHeader] = [], body: Data = Data(), attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    /// The first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The body as text, with invalid UTF-8 replaced rather than rejected.
    public var text: String { String(decoding: body, as: UTF8.self) }

    public var isSuccess: Bool { (200..<300).contains(status) }
}
