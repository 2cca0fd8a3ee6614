import Foundation
import Logging

/// The swift-log handler: formats each event as one line (`LogFormat`) and hands it to `write` whole.
public struct SluiceLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public let label: String
    let format: LogFormat
    let write: @Sendable (String) -> Void
    let now: @Sendable () -> Date

    public init(
        label: String, level: Logger.Level, format: LogFormat, write: @escaping @Sendable (String) -> Void,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.label = label
        self.logLevel = level
        self.format = format
        self.write = write
        self.now = now
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        write(format.line(level: event.level, message: "\(event.message)", metadata: merged, time: now()))
    }
}
