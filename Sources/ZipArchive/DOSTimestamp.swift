/// A zip entry's MS-DOS date and time; the writer takes it from its caller so equal inputs give byte-identical entries.
public struct DOSTimestamp: Equatable, Sendable {
    public let date: UInt16
    public let time: UInt16

    /// Builds a timestamp from calendar fields; years are clamped to the DOS range 1980–2107, seconds round down to even.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        let year = min(max(year, 1980), 2107)
        date = UInt16((year - 1980) << 9 | min(max(month, 1), 12) << 5 | min(max(day, 1), 31))
        time = UInt16(min(max(hour, 0), 23) << 11 | min(max(minute, 0), 59) << 5 | min(max(second, 0), 59) / 2)
    }

    /// A timestamp exactly as stored in an archive's date and time fields.
    public init(date: UInt16, time: UInt16) {
        self.date = date
        self.time = time
    }

    /// 1980-01-01 00:00:00, the earliest DOS time: a neutral default for reproducible archives.
    public static let epoch = DOSTimestamp(year: 1980, month: 1, day: 1)
}
