import Foundation

/// A capture date as EXIF records it: local wall-clock time with no time zone.
public struct CaptureDate: Equatable, Hashable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses EXIF's `YYYY:MM:DD HH:MM:SS`; returns nil for blanks, `0000:00:00 …` and out-of-range fields.
    public init?(exifText: String) {
        let text = exifText.trimmingCharacters(in: .whitespaces.union(.controlCharacters))
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "-" || $0 == "T" })
        guard parts.count == 6 else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == 6 else { return nil }
        let value = CaptureDate(
            year: numbers[0], month: numbers[1], day: numbers[2],
            hour: numbers[3], minute: numbers[4], second: numbers[5])
        guard (1...9999).contains(value.year), (1...12).contains(value.month), (1...31).contains(value.day),
            (0...23).contains(value.hour), (0...59).contains(value.minute), (0...60).contains(value.second)
        else { return nil }
        self = value
    }

    /// ISO 8601 without a zone, `2024-05-01T12:34:56`.
    public var description: String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
    }

    /// The instant this wall-clock time names in `timeZone` (EXIF itself does not say which zone).
    public func date(in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
    }
}
