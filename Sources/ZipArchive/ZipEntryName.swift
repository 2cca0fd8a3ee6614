/// Whether a file's path can go into a zip as an entry name that every unzipper reads back as the same file.
///
/// The index step asks this before the user spends time on review, so a name the final zip cannot hold is
/// reported at the start of a job, not after the review.
public enum ZipEntryName {
    /// The longest entry name: the zip format's 16-bit name length.
    public static let maximumBytes = 65_535

    /// Why `relativePath` (`/`-separated, as it will be stored) cannot be a zip entry name; nil when it can.
    ///
    /// Refused: invalid UTF-8 (shown as U+FFFD after decoding), `\` (Windows unzippers read it as a folder
    /// separator), control characters (C0, DEL, C1), an absolute path, an empty, `.` or `..` component, a
    /// component over 255 bytes, a trailing space or dot (dropped by Windows), a drive letter, and names over
    /// 65,535 bytes.
    public static func problem(with relativePath: String) -> String? {
        if relativePath.isEmpty { return "the name is empty" }
        if relativePath.unicodeScalars.contains("\u{FFFD}") { return "the name is not valid UTF-8" }
        if relativePath.utf8.count > maximumBytes { return "the name is longer than \(maximumBytes) bytes" }
        if relativePath.hasPrefix("/") { return "the name is an absolute path" }
        if relativePath.contains("\\") { return "the name holds a backslash (\\), which unzippers read as a folder separator" }
        if let control = relativePath.unicodeScalars.first(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "the name holds the control character U+\(String(control.value, radix: 16, uppercase: true))"
        }
        let parts = relativePath.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            if part.isEmpty || part == "." || part == ".." { return "the name has an empty, '.' or '..' part" }
            if part.utf8.count > 255 { return "a part of the name is longer than 255 bytes" }
            if part.hasSuffix(" ") || part.hasSuffix(".") { return "a part of the name ends in a space or a dot" }
        }
        if let first = parts.first, first.count == 2, first.last == ":", first.first?.isLetter == true {
            return "the name starts with a drive letter"
        }
        return nil
    }
}
