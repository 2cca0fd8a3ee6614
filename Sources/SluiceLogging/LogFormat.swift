import Foundation
import Logging

/// How a log line is written: for a person at a terminal, or for journald, which adds its own timestamp.
public enum LogFormat: Sendable, Equatable {
    /// `HH:MM:SS LEVEL [job] message key=value`, local time.
    case terminal
    /// `<N>[job] message key=value`: the sd-daemon(3) priority prefix, no timestamp; one prefix per line.
    case journal

    /// The finished line (with its newline) for one log event.
    public func line(
        level: Logger.Level, message: String, metadata: Logger.Metadata, time: Date, timeZone: TimeZone = .current
    ) -> String {
        var body = ""
        if let job = metadata["job"] { body += "[\(job)] " }
        body += message
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where key != "job" {
            body += " \(key)=\(value)"
        }
        switch self {
        case .terminal:
            let label = level.rawValue.uppercased()
            return "\(Self.clock(time, timeZone: timeZone)) \(label.padding(toLength: 8, withPad: " ", startingAt: 0))\(body)\n"
        case .journal:
            // journald reads the prefix per line, so a multi-line message keeps its priority on every line.
            let prefix = "<\(Self.priority(of: level))>"
            return body.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(separator: "\n") + "\n"
        }
    }

    /// The syslog priority sd-daemon(3) defines for a level (`<7>` debug … `<2>` critical).
    public static func priority(of level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func clock(_ time: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: time)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second))"
    }
}
