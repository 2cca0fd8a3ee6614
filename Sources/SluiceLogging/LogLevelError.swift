import Logging

/// A log level that is not one of swift-log's names.
public struct LogLevelError: Error, CustomStringConvertible, Equatable {
    public let source: String
    public let value: String

    public var description: String {
        "\(source): unknown log level '\(value)'; use one of "
            + Logger.Level.allCases.map(\.rawValue).joined(separator: ", ") + "."
    }
}
