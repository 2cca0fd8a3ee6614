/// One service's failure for one image, kept with its context for the error report.
public struct LookupFailure: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    /// The service that failed.
    public enum Service: String, Codable, Sendable {
        case file, danbooru, saucenao, iqdb, gelbooru, cache
    }

    public var service: Service
    /// What happened and what to do, with secrets already removed.
    public var message: String
    /// True when trying again later may succeed (timeouts, 5xx, quota), false when it will not (bad key, bad image).
    public var isTransient: Bool
    /// True when the service could not be reached at all (refused, reset, timed out), as opposed to answering badly.
    public var isUnreachable: Bool

    public init(service: Service, message: String, isTransient: Bool, isUnreachable: Bool = false) {
        self.service = service
        self.message = message
        self.isTransient = isTransient
        self.isUnreachable = isUnreachable
    }

    public var description: String { "\(service.rawValue): \(message)" }
}
