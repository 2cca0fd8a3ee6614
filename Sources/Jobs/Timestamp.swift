import Foundation

/// The one time rule for everything Sluice names or records: file and job names use the local wall clock
/// (`YYYYMMDD-HHMMSS`, as the user reads the time), JSON records the same moment in ISO 8601 with the local
/// offset (`2026-12-01T21:04:05+01:00`), so a name and the JSON beside it always agree.
public enum Timestamp {
    /// `YYYYMMDD-HHMMSS` in `timeZone` (the local one by default), for job ids and file names.
    public static func fileStamp(_ date: Date, timeZone: TimeZone = .current) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value.map { $0 < 10 ? "0\($0)" : "\($0)" } ?? "00" }
        return "\(parts.year ?? 1970)\(two(parts.month))\(two(parts.day))-\(two(parts.hour))\(two(parts.minute))\(two(parts.second))"
    }

    /// ISO 8601 with seconds and the offset of `timeZone`; `Z` only where the offset is zero.
    public static func iso8601(_ date: Date, timeZone: TimeZone = .current) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: timeZone))
    }

    /// Reads ISO 8601 with any offset (`Z` included), with or without fractional seconds.
    public static func parseISO8601(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// The JSON encoding of dates under this rule.
    public static let encodingStrategy = JSONEncoder.DateEncodingStrategy.custom { date, encoder in
        var container = encoder.singleValueContainer()
        try container.encode(iso8601(date))
    }

    /// The JSON decoding of dates: any ISO 8601 offset, so files written in UTC before this rule still read.
    public static let decodingStrategy = JSONDecoder.DateDecodingStrategy.custom { decoder in
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = parseISO8601(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 date: \(text)")
        }
        return date
    }
}
