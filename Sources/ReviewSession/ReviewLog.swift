import Foundation

/// Appends one line per decision to the `## Decisions` section at the end of REVIEW.md, never rewriting the rest.
struct ReviewLog {
    let file: URL

    static let heading = "## Decisions"

    func append(_ line: String, at date: Date) throws {
        let manager = FileManager.default
        var prefix = ""
        if let existing = try? String(contentsOf: file, encoding: .utf8) {
            if !existing.split(whereSeparator: \.isNewline).contains(where: { $0 == Self.heading }) {
                prefix = (existing.hasSuffix("\n") ? "\n" : "\n\n") + Self.heading + "\n\n"
            }
        } else {
            prefix = Self.heading + "\n\n"
        }
        let text = prefix + "- \(Self.stamp(date)) \(line)\n"
        if !manager.fileExists(atPath: file.path) { _ = manager.createFile(atPath: file.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.synchronize()
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}
